"""The demo agency and its staff (``data/demo.toml``), shared by both loading commands."""

from cases.models import Role
from demo import datafiles

_DATA = datafiles.read("demo.toml")

AGENCY: dict[str, str] = _DATA["agency"]
PLATFORM_ADMIN: str = _DATA["platform_admin"]["username"]
PLATFORM_ADMIN_NAME: tuple[str, str] = (
    _DATA["platform_admin"]["last_name"],
    _DATA["platform_admin"]["first_name"],
)
# username: (role, last_name, first_name). The platform admin has no agency and no role.
AGENCY_USERS: dict[str, tuple[Role, str, str]] = {
    user["username"]: (Role(user["role"]), user["last_name"], user["first_name"])
    for user in _DATA["user"]
}
