"""A professional or a site saved one by one (the admin, a test) makes the registry's counts
stale; the import and the generator write in bulk and rebuild the counts themselves."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from interurps.professionals.models import PracticeSite, Professional


@receiver(post_save, sender=Professional)
@receiver(post_save, sender=PracticeSite)
def registry_changed(sender, raw=False, **kwargs):
    if raw:
        return
    from interurps.professionals.services import registry_counts_mark_stale

    registry_counts_mark_stale()
