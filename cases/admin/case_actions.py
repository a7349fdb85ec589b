"""The action buttons of the case page and their pages (django-fsm-2's admin integration),
running each action's service instead of the transition and a direct save."""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.shortcuts import redirect, render
from django_fsm.admin import FSMAdminMixin, FSMTransitionContext

from .. import services
from ..errors import ApplicationError
from .forms import ACTION_FORMS, _refusal_to_form


class CaseActionsMixin(FSMAdminMixin):
    """The allowed actions as buttons, the refused ones with the reason, and one form per
    action; a refusal of the service is shown on the form, as field validation is."""

    fsm_transition_form_template = "admin/cases/case/transition_form.html"
    fsm_fields = ["state"]
    fsm_forms = ACTION_FORMS
    fsm_transition_success_msg = "“{transition_name}”已完成。"
    fsm_transition_not_allowed_msg = "当前不能执行“{transition_name}”。"
    fsm_transition_error_msg = "“{transition_name}”未执行：{error}"

    @staticmethod
    def get_fsm_block_label(fsm_field_name):
        return "办理操作"

    def get_help_text(self, transition):
        return transition.custom.get("help_text", "")

    def _get_fsm_extra_context(self, *, request, obj):
        # A list, not django-fsm-2's generator: the template shows the buttons twice.
        return list(super()._get_fsm_extra_context(request=request, obj=obj))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        context = dict(extra_context or {})
        case = self.get_object(request, unquote(object_id))
        if case is not None:
            # A missing button says why (e.g. no correction after a consultation).
            refused = services.refused_actions(case, request.user)
            context["refused_actions"] = [
                (services.action_label(name), why) for name, why in refused.items()
            ]
        return super().change_view(request, object_id, form_url, context)

    def _run_action(self, *, obj, transition_name, request, params) -> None:
        """The action's service instead of the transition and a direct save. Raises the
        service's ApplicationError."""
        params = {k: v for k, v in (params or {}).items() if v not in (None, "")}
        params["expected_version"] = params.pop("version", None)
        params.setdefault("note", "")
        case = services.ACTION_SERVICES[transition_name](case=obj, actor=request.user, **params)
        label = services.action_label(transition_name)
        deferral = getattr(case, "deferral", None)
        if deferral is not None:  # held until its document is approved and issued
            self.message_user(request, f"“{label}”已记录：{deferral.message}", messages.INFO)
            return
        self.message_user(
            request, self.fsm_transition_success_msg.format(transition_name=label), messages.SUCCESS
        )

    def _refused(self, request, transition_name, err: ApplicationError) -> None:
        label = services.action_label(transition_name)
        message = self.fsm_transition_error_msg.format(transition_name=label, error=err.message)
        self.message_user(request, message, messages.ERROR)

    def _apply_fsm_transition(self, *, obj, transition_name, request, kwargs=None):
        try:
            self._run_action(
                obj=obj, transition_name=transition_name, request=request, params=kwargs
            )
        except ApplicationError as err:
            self._refused(request, transition_name, err)
            return False
        return True

    def fsm_transition_view(self, request, object_id, transition_name, **kwargs):
        """django-fsm-2's action page, except that a refusal of the service is shown on the form
        (on the fields it names) with everything as typed, as field validation is."""
        case = self.get_object(request, unquote(object_id))
        form_class = ACTION_FORMS.get(transition_name)
        if case is None or form_class is None:
            return super().fsm_transition_view(request, object_id, transition_name, **kwargs)
        transition = self._get_fsm_transition_by_name(obj=case, transition_name=transition_name)
        if not transition.has_perm(case, user=request.user):
            return super().fsm_transition_view(request, object_id, transition_name, **kwargs)
        form = form_class(data=request.POST if request.method == "POST" else None, case=case)
        if request.method == "POST" and form.is_valid():
            try:
                self._run_action(
                    obj=case,
                    transition_name=transition_name,
                    request=request,
                    params=form.cleaned_data,
                )
            except ApplicationError as err:
                self._refused(request, transition_name, err)
                _refusal_to_form(form, err)
            else:
                return redirect("admin:cases_case_change", object_id=case.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": case,
            "transition": FSMTransitionContext(
                name=transition_name,
                label=self.get_fsm_label(transition),
                help_text=self.get_help_text(transition),
            ),
            "transition_form": form,
        }
        return render(request, self.fsm_transition_form_template, context)
