#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # noqa: B018 - load the settings now, to report what is missing
    except ImproperlyConfigured as error:
        # Django would swallow this and fail later with an unrelated error (AppRegistryNotReady).
        sys.exit(
            f"manage.py: {error}\n"
            "For development set DJANGO_DEBUG=true (as `make run` does); for the tests use "
            "DJANGO_SETTINGS_MODULE=config.settings_test (as `make test` does)."
        )
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
