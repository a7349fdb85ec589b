"""The API against its own OpenAPI schema (schemathesis): every answer to requests drawn from
``/api/schema/`` must be no server error, and of a documented status code, content type and
shape (errors included: ``{"code", "message", "fields"}``).

The application runs in-process (WSGI) on PostgreSQL, with real users, cases and reports, so
that paths such as ``/api/cases/{id}/`` reach real objects. The run sends hand-written
valid requests (each must succeed), schemathesis' deterministic coverage cases (bounds and their
neighbours, missing parts, wrong types, other methods) and a few derandomized valid and invalid
draws, so a run is reproducible and stays well under a minute. The figures are printed
(``pytest -s``); on failure the message lists each violation with its count, a reproducing
request and, for server errors, the end of the traceback.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import re
import sys
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field

import hypothesis
import pytest
import schemathesis
from django.core.signals import got_request_exception
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, Phase, Verbosity
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from cases import limits
from cases.models import Role, User
from config.schema import date_pattern
from reporting import services as reporting_services

from .cases.helpers import ALLOWED, PAYLOADS, case_in_state
from .factories import AgencyFactory, UserFactory, token_for

# Examples per operation and generation mode (valid per schema, and invalid), on top of the
# hand-written valid requests below. Small on purpose: the run must stay well under CI's budget.
EXAMPLES_PER_MODE = 8
# schemathesis' deterministic boundary cases per operation, at most (spread evenly over all of
# them): the operations with many parameters produce hundreds, which made this one test half of
# the suite's time.
COVERAGE_CASES_PER_OPERATION = 36
CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    content_type_conformance,
    status_code_conformance,
]
PASSWORD = "secret-pass-123"  # tests.factories.UserFactory
QUIET_LOGGERS = ["django.request", "axes", "cases.authentication"]


@dataclass
class Fixture:
    """What the run works on: users with their tokens and the objects the paths can name."""

    tokens: dict[str, str]
    case_ids: list[int]
    action_cases: dict[str, int]  # action (path name) -> a case of the agency that allows it
    agency_codes: list[str]
    report_ids: list[int]  # [published, draft]
    appeal_ids: list[int]  # [decided, pending]
    content_ids: list[int]
    throwaway: User  # whose tokens the logout operations may revoke


@dataclass
class Run:
    requests: Counter = field(default_factory=Counter)  # per phase
    statuses: Counter = field(default_factory=Counter)
    # (method and path, check) -> [count, first failure with its reproduction]
    failures: dict[tuple[str, str], list] = field(default_factory=dict)
    server_errors: int = 0
    current_exception: list[str] = field(default_factory=list)
    # Hand-written valid requests that were not answered with success: "METHOD path -> status"
    refused: list[str] = field(default_factory=list)

    def record(self, phase: str, label: str, response, error: FailureGroup | None) -> None:
        self.requests[phase] += 1
        self.statuses[response.status_code] += 1
        if response.status_code >= 500:
            self.server_errors += 1
        if error is None:
            return
        for failure in error.exceptions:
            key = (label, failure.title or type(failure).__name__)
            if key in self.failures:
                self.failures[key][0] += 1
                continue
            detail = str(error)[:2000]
            if self.current_exception:
                detail += "\nServer traceback (last lines):\n" + "".join(self.current_exception)
            self.failures[key] = [1, detail]

    def report(self, operations: int, seconds: float) -> str:
        lines = [
            f"schemathesis: {operations} operations, {sum(self.requests.values())} requests "
            f"({', '.join(f'{n} {phase}' for phase, n in self.requests.items())}), "
            f"{self.server_errors} server errors, {len(self.failures)} distinct violations, "
            f"{seconds:.0f} s; statuses {dict(sorted(self.statuses.items()))}"
        ]
        for (label, title), (count, detail) in sorted(self.failures.items()):
            lines.append(f"\n--- {label}: {title} ({count}x)\n{detail}")
        if self.refused:
            lines.append("\n--- Valid hand-written requests refused:\n" + "\n".join(self.refused))
        return "\n".join(lines)


def _make_fixture() -> Fixture:
    agency = AgencyFactory(code="FJRST", name="福建省人力资源和社会保障厅", email="gk@rst.cn")
    other = AgencyFactory(code="FJJYT", name="福建省教育厅", email="gk@jyt.example.cn")
    users = {
        "registrar": UserFactory(username="registrar", agency=agency, role=Role.REGISTRAR),
        "handler": UserFactory(username="handler", agency=agency, role=Role.HANDLER),
        "approver": UserFactory(username="approver", agency=agency, role=Role.APPROVER),
        "agency_admin": UserFactory(username="agencyadmin", agency=agency, role=Role.AGENCY_ADMIN),
        "platform": UserFactory(
            username="platform", agency=None, role="", is_superuser=True, is_staff=True
        ),
    }
    other_admin = UserFactory(username="otheradmin", agency=other, role=Role.AGENCY_ADMIN)
    actor = users["agency_admin"]
    states = ["registered", "awaiting_correction", "reviewed", "consulting", "awaiting_fee"]
    cases = [case_in_state(state, actor=actor) for state in [*states, "answered", "archived"]]
    cases.append(case_in_state("reviewed", actor=actor, contact_email="zhang@example.cn"))
    foreign = case_in_state("registered", actor=other_admin)
    # One case per action in a state that allows it, for the hand-written requests.
    action_cases = {
        action: case_in_state(next(s for s in ALLOWED if action in ALLOWED[s]), actor=actor).pk
        for action in PAYLOADS
    }

    # Reports: a published 2025 table (so 2025 is locked and can be reopened) and a 2024 draft.
    published = reporting_services.annual_report_generate(agency=agency, year=2025, actor=actor)
    published = reporting_services.annual_report_publish(report=published, actor=actor)
    draft = reporting_services.annual_report_generate(agency=agency, year=2024, actor=actor)
    # Appeals on an answered case (one decided, one pending) and the office's 2022 content
    # (2024 is published by the hand-written publish request, 2025 already).
    appeals = [
        reporting_services.appeal_create(
            actor=actor,
            agency=agency,
            case=cases[5],
            kind="review",
            body="福建省人民政府",
            filed_on=dt.date(2026, 4, 1),
            **decided,
        )
        for decided in ({"result": "maintained", "decided_on": dt.date(2026, 5, 6)}, {})
    ]
    content = reporting_services.report_content_save(
        actor=actor, agency=agency, year=2022, general="本年度总体情况。"
    )

    return Fixture(
        tokens={name: token_for(user) for name, user in users.items()},
        case_ids=[case.pk for case in cases] + [foreign.pk],
        action_cases=action_cases,
        agency_codes=[agency.code, other.code],
        report_ids=[published.pk, draft.pk],
        appeal_ids=[appeal.pk for appeal in appeals],
        content_ids=[content.pk],
        throwaway=UserFactory(username="throwaway", agency=agency, role=Role.HANDLER),
    )


def _path_values(path: str, data: Fixture) -> dict[str, list]:
    if path.startswith("/api/cases/{id}"):
        return {"id": data.case_ids}
    if path.startswith("/api/agencies/{code}"):
        return {"code": data.agency_codes}
    if path.startswith("/api/reports/annual-reports/{id}"):
        return {"id": data.report_ids}
    if path.startswith("/api/appeals/{id}"):
        return {"id": data.appeal_ids}
    if path.startswith("/api/reports/report-contents/{id}"):
        return {"id": data.content_ids}
    return {}


def _explicit_requests(operation, data: Fixture) -> list[dict]:
    """Valid requests a random draw seldom makes, so that every success shape is checked.
    Each is sent as the agency admin unless it names another ``user``."""
    path, method = operation.path, operation.method.upper()
    if path == "/api/agencies/" and method == "POST":
        body = {"code": "fjwjw", "name": "福建省卫生健康委员会", "email": "gk@wjw.example.cn"}
        return [{"body": body, "user": "platform"}]
    if path == "/api/auth/token/":
        return [{"body": {"username": "throwaway", "password": PASSWORD}}]
    if path == "/api/cases/" and method == "POST":
        body = {
            "applicant_type": "natural_person",
            "applicant_name": "李四",
            "id_type": "passport",
            "id_number": "E12345678",
            "channel": "online",
            "received_on": "2026-03-02",
            "description": "2025年本市最低工资标准调整情况",
            "contact_email": "",
            "delivery_form": "",
        }
        return [{"body": body, "user": "registrar"}]
    if path == "/api/cases/{id}/" and method == "PATCH":
        return [{"path_parameters": {"id": data.case_ids[0]}, "body": {"contact_phone": "123"}}]
    if path.startswith("/api/cases/{id}/") and method == "POST":
        action = path.split("/")[-2]
        request = {"path_parameters": {"id": data.action_cases[action]}, "body": PAYLOADS[action]}
        if action == "extend":  # Art. 33: only the head of the office approves an extension
            request["user"] = "approver"
        return [request]
    if path == "/api/reports/annual-reports/" and method == "POST":
        return [{"body": {"year": 2023}}]
    if path.endswith("/publish/"):
        return [{"path_parameters": {"id": data.report_ids[1]}, "body": {}}]
    if path == "/api/reports/periods/reopen/":
        return [{"body": {"year": 2025, "reason": "更正一件申请的办结日期"}}]
    if path.endswith("/export/"):
        return [
            {"path_parameters": {"id": data.report_ids[0]}, "query": {"format": fmt}}
            for fmt in ("json", "csv", "xlsx", "html", "docx")
        ]
    if path == "/api/appeals/" and method == "POST":
        body = {
            "kind": "litigation_direct",
            "filed_on": "2026-06-01",
            "body": "福州市鼓楼区人民法院",
        }
        return [{"body": body, "user": "handler"}]
    if path == "/api/appeals/{id}/" and method == "PATCH":
        body = {"result": "corrected", "decided_on": "2026-07-01"}
        return [{"path_parameters": {"id": data.appeal_ids[1]}, "body": body}]
    if path == "/api/reports/report-contents/" and method == "POST":
        return [{"body": {"year": 2023, "problems": "培训不足。"}}]
    if path == "/api/reports/report-contents/{id}/" and method == "PATCH":
        figures = {"2019": {"regulations": {"made": 0, "published": 0, "public_total": 0}}}
        body = {"active_disclosure": figures}
        return [{"path_parameters": {"id": data.content_ids[0]}, "body": body}]
    if path == "/api/reports/report-tables/":
        return [{"query": {"year": 2024}}]
    if path == "/api/reports/annual-table/":
        return [{"query": {"year": 2025, "format": fmt}} for fmt in ("json", "csv", "html")]
    return []


def _strategy(operation, mode: GenerationMode, data: Fixture):
    """Cases for one operation whose path names real objects (the coverage phase sends the
    invalid paths), so that invalid queries and bodies reach the validation."""
    values = _path_values(operation.path, data)
    if not values:
        return operation.as_strategy(generation_mode=mode)
    (name, choices), *_ = values.items()
    return st.one_of(
        [
            operation.as_strategy(generation_mode=mode, path_parameters={name: value})
            for value in choices
        ]
    )


def _auth_header(operation, data: Fixture, token_name: str) -> dict[str, str]:
    if operation.path == "/api/auth/token/":
        return {}
    if operation.path.startswith("/api/auth/"):
        # Logout revokes the token (logout-all every token of the user): a fresh one each time.
        return {"Authorization": f"Token {token_for(data.throwaway)}"}
    return {"Authorization": f"Token {data.tokens[token_name]}"}


def _send(run: Run, phase: str, operation, case, headers: dict[str, str]):
    run.current_exception = []
    response = case.call(headers=headers)
    try:
        case.validate_response(response, checks=CHECKS, headers=headers)
    except FailureGroup as error:
        run.record(phase, f"{case.method} {operation.path}", response, error)
    else:
        run.record(phase, f"{case.method} {operation.path}", response, None)
    return response


def _explicit(run: Run, operation, data: Fixture) -> None:
    for request in _explicit_requests(operation, data):
        user = request.pop("user", "agency_admin")
        if "body" in request:
            request["media_type"] = "application/json"
        case = operation.Case(**request)
        response = _send(run, "explicit", operation, case, _auth_header(operation, data, user))
        if not 200 <= response.status_code < 300:
            run.refused.append(f"{case.method} {case.formatted_path} -> {response.status_code}")


def _negates_path(case) -> bool:
    meta = case.meta
    if meta is None:
        return False
    path = meta.components.get(ParameterLocation.PATH)
    return path is not None and path.mode is GenerationMode.NEGATIVE


def _coverage(run: Run, schema, operation, data: Fixture) -> None:
    """schemathesis' deterministic cases: each bound and its neighbours, each required part
    left out, wrong types, and the methods the path does not offer. Unless the path itself is
    made invalid, it names real objects; the users take turns."""
    values = _path_values(operation.path, data)
    users = itertools.cycle(sorted(data.tokens))
    objects = {name: itertools.cycle(choices) for name, choices in values.items()}
    cases = schema.iter_coverage_cases(
        operation,
        generation_modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
        generation_config=schema.config.generation_for(operation=operation, phase="coverage"),
    )
    cases = list(cases)
    if len(cases) > COVERAGE_CASES_PER_OPERATION:
        stride = len(cases) / COVERAGE_CASES_PER_OPERATION
        cases = [cases[int(i * stride)] for i in range(COVERAGE_CASES_PER_OPERATION)]
    for case in cases:
        if objects and not _negates_path(case):
            case.path_parameters = {name: next(cycle) for name, cycle in objects.items()}
        _send(run, "coverage", operation, case, _auth_header(operation, data, next(users)))


def _fuzz(run: Run, operation, mode: GenerationMode, data: Fixture) -> None:
    """Draw a bounded number of cases, each sent as one of the users; record, never raise."""

    @hypothesis.settings(
        max_examples=EXAMPLES_PER_MODE,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        verbosity=Verbosity.quiet,
    )
    @hypothesis.given(
        case=_strategy(operation, mode, data), who=st.sampled_from(sorted(data.tokens))
    )
    def fuzz(case, who):
        _send(run, "fuzzing", operation, case, _auth_header(operation, data, who))

    try:
        fuzz()
    except Unsatisfiable:
        # No input can violate the schema of this operation (e.g. only a free-text path part).
        assert mode is GenerationMode.NEGATIVE, operation.label


@pytest.mark.postgres
# Requests commit as in production, so that a failed one cannot spoil the ones after it.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_operation_keeps_to_the_schema(settings):
    # Logins reach the validation instead of the per-address throttle (documented as 429).
    settings.LOGIN_RATE = "100000/min"
    data = _make_fixture()
    app = get_wsgi_application()
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", app)
    run = Run()

    def on_exception(sender, request=None, **kwargs):
        run.current_exception = traceback.format_exception(*sys.exc_info())[-3:]

    got_request_exception.connect(on_exception, weak=False)
    # Every refusal and failed login would be logged; server errors are collected (with the end
    # of their traceback) instead.
    loggers = [logging.getLogger(name) for name in QUIET_LOGGERS]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    started = time.monotonic()
    operations = [result.ok() for result in schema.get_all_operations()]
    try:
        for operation in operations:  # first, while every case is in its starting state
            _explicit(run, operation, data)
        for operation in operations:
            _coverage(run, schema, operation, data)
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                _fuzz(run, operation, mode, data)
    finally:
        got_request_exception.disconnect(on_exception)
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)
    seconds = time.monotonic() - started
    summary = run.report(len(operations), seconds)
    if run.failures or run.refused:
        pytest.fail(summary, pytrace=False)
    print(summary)
    assert run.requests["fuzzing"] >= len(operations) * EXAMPLES_PER_MODE


@pytest.mark.parametrize(
    ("first", "last"),
    [
        (limits.EARLIEST_DATE, None),
        (limits.EARLIEST_DATE, limits.LATEST_QUERY_DATE),
        (dt.date(2008, 5, 15), dt.date(2030, 2, 3)),
        (None, dt.date(2020, 2, 29)),
    ],
)
def test_date_patterns_admit_exactly_the_dates_in_range(first, last):
    pattern = re.compile(date_pattern(first, last))
    low, high = first or dt.date.min, last or dt.date.max
    day = dt.date(2000, 1, 1)
    while day <= dt.date(2101, 1, 1):
        assert bool(pattern.match(day.isoformat())) == (low <= day <= high), day
        day += dt.timedelta(days=1)
    for day in (dt.date.min, dt.date(999, 12, 31), dt.date(5000, 6, 30), dt.date.max):
        assert bool(pattern.match(day.isoformat())) == (low <= day <= high), day
