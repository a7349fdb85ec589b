"""The State Council holiday notices as the ``chinesecalendar`` package transcribes them.

Used by the seeding migration and by ``manage.py load_holiday_calendar``, so it takes the model
classes as arguments (a migration passes its historical models). Years already loaded are left
alone: an admin's entries are never overwritten by a package update.
"""

import datetime as dt

NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}
# The 2020 Spring Festival was extended by a separate notice.
SPRING_FESTIVAL_2020_EXTENSION = {dt.date(2020, 1, 31), dt.date(2020, 2, 1), dt.date(2020, 2, 2)}
EXTENSION_2020_NOTICE = "国务院办公厅关于延长2020年春节假期的通知（国办发明电〔2020〕1号）"
# chinesecalendar misses the working Saturday before New Year 2006; the notice for 2006 (and the
# holidays package) have it.
CORRECTIONS = {
    dt.date(2005, 12, 31): ("workday", "元旦", "国务院办公厅关于2006年部分节假日安排的通知"),
}


def notice_for(year: int) -> str:
    return f"国务院办公厅关于{year}年部分节假日安排的通知"


def package_years() -> list[int]:
    from chinese_calendar import constants

    return sorted({day.year for day in constants.holidays} | {d.year for d in constants.workdays})


def package_entries(years) -> dict[dt.date, tuple[str, str, str]]:
    """{date: (kind, Chinese name, source notice)} for the given years, corrections applied."""
    from chinese_calendar import constants

    years = set(years)
    entries: dict[dt.date, tuple[str, str, str]] = {}
    for kind, table in (("holiday", constants.holidays), ("workday", constants.workdays)):
        for day, english in table.items():
            if day.year in years:
                source = (
                    EXTENSION_2020_NOTICE
                    if day in SPRING_FESTIVAL_2020_EXTENSION
                    else notice_for(day.year)
                )
                entries[day] = (kind, NAMES.get(english, english), source)
    entries.update({d: v for d, v in CORRECTIONS.items() if d.year in years})
    return entries


def seed(calendar_year_model, calendar_day_model, *, years=None) -> list[int]:
    """Load every year the package knows and the database lacks; return the years loaded."""
    wanted = set(years or package_years())
    missing = sorted(wanted - set(calendar_year_model.objects.values_list("year", flat=True)))
    if not missing:
        return []
    calendar_day_model.objects.bulk_create(
        [
            calendar_day_model(date=day, kind=kind, name=name, source=source)
            for day, (kind, name, source) in sorted(package_entries(missing).items())
        ],
        ignore_conflicts=True,
    )
    calendar_year_model.objects.bulk_create(
        [calendar_year_model(year=year, notice=notice_for(year)) for year in missing]
    )
    return missing
