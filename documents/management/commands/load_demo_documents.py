"""Issue and deliver the documents of the demo agency's recent cases (``make run`` calls it
after ``load_demo_data``).

The case actions of the demo data drafted the documents already (documents react to every case
action); this command takes them through the approval chain and issue, and records deliveries,
as the clerks would, through the same services. Some stay drafts and some deliveries stay
open, so the screens show every status. Idempotent: once the agency has an issued document,
nothing is done. The PDFs are made by the worker.
"""

from __future__ import annotations

import datetime as dt
import itertools

from django.core.management.base import BaseCommand

from cases import clock
from cases.errors import ApplicationError
from cases.models import Agency, User

from ... import selectors, services
from ...models import Document
from ...services.workflow import PDF_QUEUE
from ...vocabulary import DocumentKind, DocumentStatus

AGENCY_CODE = "FJRST"
RECENT_DAYS = 180
SETTINGS = {
    "prefixes": {
        DocumentKind.RECEIPT: "闽人社公开登",
        DocumentKind.CORRECTION_NOTICE: "闽人社公开补",
        DocumentKind.CONSULTATION_LETTER: "闽人社公开征",
        DocumentKind.FEE_NOTICE: "闽人社公开费",
        DocumentKind.EXTENSION_NOTICE: "闽人社公开延",
        DocumentKind.REPLY: "闽人社公开复",
        DocumentKind.TERMINATION_NOTICE: "闽人社公开终",
    },
    "review_body": "福建省人民政府",
    "court": "福州市中级人民法院",
    "contact": "福州市鼓楼区中山路1号 政府信息公开受理窗口，电话0591-87000000",
    "payment_instructions": (
        "请持本通知书到本厅政府信息公开受理窗口缴纳，或者通过福建省非税收入统一缴费平台缴纳"
    ),
}
# The ways letters go out, in turn; a posted letter is signed for three days later.
METHODS = ("post", "email", "in_person", "online", "post")


class Command(BaseCommand):
    help = "为演示机关近期申请的文书办理审批、签发和送达（make run 调用；可重复运行）"

    def handle(self, *args, **options):
        # The demo's PDFs are left to the periodic sweep (documents.tasks.render_pending_pdfs)
        # instead of being queued as each letter is issued: make run's worker would otherwise
        # log dozens of renders after the addresses and accounts it prints last.
        queue = list(PDF_QUEUE)
        PDF_QUEUE.clear()
        try:
            self._load(*args, **options)
        finally:
            PDF_QUEUE[:] = queue

    def _load(self, *args, **options):
        agency = Agency.objects.filter(code=AGENCY_CODE).first()
        users = {
            u.username: u
            for u in User.objects.filter(
                agency=agency, username__in=("handler", "approver", "agencyadmin")
            )
        }
        if agency is None or len(users) < 3:
            self.stdout.write(
                self.style.WARNING("未找到演示机关或演示账号，请先运行 load_demo_data。")
            )
            return
        issued = Document.objects.filter(
            agency=agency, status__in=[DocumentStatus.ISSUED, DocumentStatus.SUPERSEDED]
        )
        if issued.exists():
            self.stdout.write(f"演示文书已存在（已签发 {issued.count()} 件），未作修改。")
            return
        services.document_settings_update(
            agency=agency, actor=users["agencyadmin"], changes=SETTINGS
        )
        since = clock.today() - dt.timedelta(days=RECENT_DAYS)
        drafts = Document.objects.filter(
            agency=agency, status=DocumentStatus.DRAFT, case__received_on__gte=since
        ).order_by("drafted_on", "id")
        methods = itertools.cycle(METHODS)
        done = delivered = 0
        for n, document in enumerate(drafts):
            if n % 6 == 5:
                continue  # some stay drafts, to be worked on in the demo
            try:
                document = self._issue(document, users)
                delivered += self._deliver(document, users["handler"], next(methods))
            except ApplicationError as err:
                self.stdout.write(self.style.WARNING(f"{document}：{err.message}"))
                continue
            done += 1
        self.stdout.write(f"演示文书：已签发 {done} 件，其中已送达 {delivered} 件。")

    def _issue(self, document: Document, users: dict[str, User]) -> Document:
        on = document.drafted_on
        settings = selectors.settings_for(document.agency)
        if settings.needs_approval(document.kind):
            document = services.document_submit(document=document, actor=users["handler"], on=on)
            document = services.document_approve(document=document, actor=users["approver"], on=on)
        return services.document_issue(document=document, actor=users["handler"], on=on)

    def _deliver(self, document: Document, actor: User, method: str) -> bool:
        today = clock.today()
        sent_on = document.issued_on
        delivered_on = min(sent_on + dt.timedelta(days=3), today) if method == "post" else None
        if method == "post" and (today - sent_on).days < 5:
            delivered_on = None  # still in the post
        if method == "in_person":
            delivered_on = sent_on
        services.delivery_create(
            document=document,
            actor=actor,
            recipient=document.addressee,
            method=method,
            sent_on=sent_on,
            tracking_number=f"EMS{document.pk:010d}CN" if method == "post" else "",
            delivered_on=delivered_on,
        )
        return delivered_on is not None or method in ("email", "online")
