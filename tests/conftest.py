"""Shared test configuration: hypothesis profiles.

Under CI (the ``CI`` environment variable set) runs are derandomized, have no deadline
and keep no example database, so a green run is reproducible; locally a faster profile
keeps the edit-test loop short.
"""

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    derandomize=True,
    deadline=None,
    database=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "dev",
    deadline=None,
    max_examples=25,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
