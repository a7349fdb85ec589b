from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = "文书"

    def ready(self) -> None:
        from django.apps import apps

        from cases import hooks

        from .selectors import case_representation, undelivered_notes
        from .services import defer_until_issued, draft_on_case_action
        from .services.workflow import PDF_QUEUE
        from .tasks import enqueue_pdf

        if enqueue_pdf not in PDF_QUEUE:
            PDF_QUEUE.append(enqueue_pdf)

        # The one way documents take part in case actions (README: Documents).
        hooks.register_reaction(draft_on_case_action)
        hooks.register_deferral("answer", defer_until_issued)
        hooks.register_deferral("extend", defer_until_issued)
        hooks.register_digest_note(undelivered_notes)
        hooks.register_representation(
            "documents",
            case_representation,
            prefetch=("documents",),
            help="本申请的文书：id、kind、status、number",
        )
        # The ledger export shows the documents' numbers and delivery dates (ledger imports no
        # app but cases; documents adds its columns when both are installed).
        if apps.is_installed("ledger"):
            from .ledger_columns import register

            register()
