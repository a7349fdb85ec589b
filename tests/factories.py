"""Small factories. Cases are made through the registration service, never by writing state."""

import datetime as dt
import itertools

import factory

from cases import services
from cases.authentication import issue_token
from cases.identity import resident_id_check_char, uscc_check_char
from cases.models import Agency, Case, Role, User

_serial = itertools.count(1)


def resident_id(birth: dt.date = dt.date(1985, 6, 15)) -> str:
    first17 = f"350102{birth:%Y%m%d}{next(_serial) % 1000:03d}"
    return first17 + resident_id_check_char(first17)


def uscc() -> str:
    first17 = f"91350100MA{next(_serial) % 10**7:07d}"
    return first17 + uscc_check_char(first17)


# Set by the documents tests (tests/documents/conftest.py): every agency keeps the product's
# default approval settings.
PRODUCT_DEFAULT_APPROVAL = {"on": False}


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("code",)
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"AG{n:03d}")
    name = factory.Sequence(lambda n: f"测试机关{n}")
    email = factory.Sequence(lambda n: f"gongkai{n}@agency.example.cn")

    @factory.post_generation
    def replies_need_approval(agency, create, extracted, **kwargs):
        """By default a test agency answers and extends directly, as an office that signs its
        replies outside the system does: the lifecycle tests are about the case, not the
        documents. ``replies_need_approval=True`` keeps the product's default (reply and
        extension notice approved by the head of office, the step held until issue); the
        documents tests use that."""
        if not create or extracted or PRODUCT_DEFAULT_APPROVAL["on"]:
            return
        from documents.models import DocumentSettings

        DocumentSettings.objects.update_or_create(
            agency=agency,
            defaults={"approval_required": {"reply": False, "extension_notice": False}},
        )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    agency = factory.SubFactory(AgencyFactory)
    role = Role.HANDLER
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", "secret-pass-123")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def token_for(user: User) -> str:
    """A fresh API token for the user, as a login would issue it."""
    return issue_token(user)[1]


def register_case(*, actor: User, **overrides) -> Case:
    """Register a case through the service with realistic defaults."""
    fields = {
        "agency": actor.agency,
        "applicant_type": "natural_person",
        "applicant_name": "张三",
        "id_type": "resident_id",
        "id_number": resident_id(),
        "channel": "online",
        "received_on": dt.date(2026, 3, 2),
        "description": "2025年本市城镇职工基本养老保险基金收支情况",
    }
    fields.update(overrides)
    if fields["applicant_type"] != "natural_person" and "id_type" not in overrides:
        fields["id_type"] = "uscc"
        fields["id_number"] = uscc()
    return services.case_register(actor=actor, **fields)
