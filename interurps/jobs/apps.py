from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "interurps.jobs"
    verbose_name = "Travaux en arrière-plan"

    def ready(self):
        # django-tasks-db's queue table is an internal detail: the jobs' pages show the
        # work, the Django admin does not list the queue.
        from django.contrib import admin
        from django_tasks_db.models import DBTaskResult

        if admin.site.is_registered(DBTaskResult):
            admin.site.unregister(DBTaskResult)
