# Until the rules helper's `interurps.analytics.icope` is merged (see icope_fallback).
from interurps.reper.tests import icope_fallback  # noqa: F401
