"""Benchmark of the SAS on PostgreSQL: 20,000 effectors and 1,000,000 slots over a region.

Run by hand against a database of its own (it adds synthetic effectors and slots):

    createdb -h 127.0.0.1 -U postgres wt_sas_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wt_sas_bench \\
        .venv/bin/python bench/sas.py [--effectors 20000] [--slots 1000000] [--searches 300]

It migrates the database and imports France's geography when they are missing, then builds
(once: a second run reuses them) the effectors, one site each around a real commune of the
region (drawn by population, within about 2 km of its centroid) and their slots over four
weeks (one week past, three to come) with bulk_create; then times:

- the regulators' search at the service level (`regulation.selectors.slot_search`: the
  department's radius widened as needed, default window, order, the page's first 100
  slots and the effectors accepting extra patients) around random communes of the region
  (uniformly drawn: small rural communes, where the radius widens, as often as towns);
- the same search through the regulator's page (Django's test client, in process: URL
  resolution, permissions, form, template; no network), then over HTTP from a gunicorn
  started for the measure (2 sync workers, `config.wsgi`: the production entry point);
- 100 bookings of the same slot at once (threads, each with its own connection, released
  together; at most `--connections` at the same instant, the server's max_connections
  being shared): exactly one must succeed.

`time_callable(function, ...)` times any callable the same way (p50 / p95 / max): other
measures (the FHIR interface's query) can be added with it. Prints a Markdown summary.
"""

import argparse
import http.client
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from interurps.accounts.models import Role, RoleAssignment, User  # noqa: E402
from interurps.geography.models import Commune, Region  # noqa: E402
from interurps.professionals.models import Professional  # noqa: E402
from interurps.sas.booking import SlotUnavailable, appointment_book  # noqa: E402
from interurps.sas.models import (  # noqa: E402
    Appointment,
    CareRequest,
    ConsultationType,
    Effector,
    ParticipationMode,
    Site,
    Slot,
)
from interurps.sas.regulation import selectors  # noqa: E402

SEED = 20261201
REGION = "52"
IDENTIFIER_PREFIX = "SYN9"  # synthetic identifiers of the bench's professionals
BATCH = 10_000
PROFESSIONS = [  # (profession, specialty, weight): mostly general practitioners
    ("medecins", "Médecine générale", 70),
    ("medecins", "Pédiatrie", 5),
    ("infirmiers", "", 15),
    ("masseurs-kinesitherapeutes", "", 5),
    ("chirurgiens-dentistes", "", 5),
]


@dataclass(frozen=True)
class Timing:
    count: int
    p50_ms: float
    p95_ms: float
    max_ms: float

    def row(self, label: str) -> str:
        return (
            f"| {label} | {self.count} | {self.p50_ms:.1f} | {self.p95_ms:.1f} | "
            f"{self.max_ms:.1f} |"
        )


def time_callable(
    function: Callable, arguments: list | None = None, *, repeats: int = 100, warmup: int = 3
) -> Timing:
    """Wall times of `function(argument)` for each of `arguments` (or of `function()`
    `repeats` times), after `warmup` untimed calls: p50, p95 and max in milliseconds."""
    calls = [(a,) for a in arguments] if arguments is not None else [()] * repeats
    for args in calls[:warmup]:
        function(*args)
    times = []
    for args in calls:
        start = time.perf_counter()
        function(*args)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    return Timing(len(times), statistics.median(times), p95, times[-1])


# --- the data ------------------------------------------------------------------------------


def ensure_reference() -> None:
    call_command("migrate", verbosity=0)
    if not Commune.objects.filter(department__region_id=REGION).exists():
        print("Importing France's geography…", flush=True)
        call_command("import_geography", verbosity=0)


def build(effector_count: int, slot_count: int, rng: random.Random) -> float:
    """Create the bench's effectors, sites and slots unless they exist; seconds taken."""
    existing = Effector.objects.filter(
        professional__identifier__startswith=IDENTIFIER_PREFIX
    ).count()
    if existing >= effector_count:
        print(f"Reusing {existing} effectors and {Slot.objects.count()} slots.", flush=True)
        return 0.0
    started = time.perf_counter()
    region = Region.objects.get(code=REGION)
    communes = list(
        Commune.objects.filter(
            department__region=region,
            kind=Commune.Kind.COMMUNE,
            latitude__isnull=False,
            population__gt=0,
        )
    )
    weights = [c.population for c in communes]
    names = [(p, s) for p, s, _ in PROFESSIONS]
    profession_weights = [w for _, _, w in PROFESSIONS]
    professionals = []
    for number in range(effector_count):
        profession, specialty = rng.choices(names, profession_weights)[0]
        professionals.append(
            Professional(
                identifier=f"{IDENTIFIER_PREFIX}{number:08d}",
                identifier_kind="synthetique",
                source="synthetique",
                profession_id=profession,
                specialty=specialty,
                last_name=f"Banc{number}",
                first_name="Effecteur",
                search_name=f"banc{number} effecteur",
                active=True,
            )
        )
    Professional.objects.bulk_create(professionals, batch_size=BATCH)
    professionals = list(
        Professional.objects.filter(identifier__startswith=IDENTIFIER_PREFIX).order_by("pk")
    )
    today = timezone.localdate()
    effectors = Effector.objects.bulk_create(
        [
            Effector(
                region=region,
                professional=p,
                participation_mode=ParticipationMode.INDIVIDUAL,
                statement_signed_on=today - timedelta(days=rng.randrange(400)),
                accepts_extra_patients=rng.random() < 0.05,
                suspended_on=today if rng.random() < 0.01 else None,
            )
            for p in professionals
        ],
        batch_size=BATCH,
    )
    effectors = list(Effector.objects.filter(professional__in=professionals).order_by("pk"))
    sites = []
    for effector in effectors:
        commune = rng.choices(communes, weights)[0]
        sites.append(
            Site(
                effector=effector,
                name=f"Cabinet {effector.pk}",
                commune=commune,
                latitude=commune.latitude + rng.uniform(-0.015, 0.015),
                longitude=commune.longitude + rng.uniform(-0.02, 0.02),
            )
        )
    Site.objects.bulk_create(sites, batch_size=BATCH)
    sites = list(Site.objects.filter(effector__in=effectors).order_by("pk"))
    print(f"{len(effectors)} effectors and sites in {time.perf_counter() - started:.0f} s")
    # Slots: four weeks from a week ago, 8 h–20 h, 20-minute slots, on the hour or half past.
    first_day = timezone.localtime() - timedelta(days=7)
    first_day = first_day.replace(hour=0, minute=0, second=0, microsecond=0)
    per_site = slot_count // len(sites)
    remainder = slot_count - per_site * len(sites)
    batch = []
    created = 0
    consultation = (
        [ConsultationType.OFFICE] * 8
        + [ConsultationType.HOME]
        + [ConsultationType.TELECONSULTATION]
    )
    for index, site in enumerate(sites):
        for _ in range(per_site + (1 if index < remainder else 0)):
            start = first_day + timedelta(
                days=rng.randrange(28), hours=8 + rng.randrange(12), minutes=rng.choice([0, 30])
            )
            capacity = 1 if rng.random() < 0.9 else 2
            full = rng.random() < 0.1
            batch.append(
                Slot(
                    effector_id=site.effector_id,
                    site=site,
                    start=start,
                    end=start + timedelta(minutes=20),
                    consultation_type=rng.choice(consultation),
                    type_snp=rng.random() < 0.9,
                    type_public=rng.random() < 0.5,
                    capacity=capacity,
                    booked=capacity if full else 0,
                    shared=rng.random() < 0.85,
                    cancelled_at=start - timedelta(days=1) if rng.random() < 0.03 else None,
                )
            )
            if len(batch) == BATCH:
                Slot.objects.bulk_create(batch)
                created += len(batch)
                batch = []
                if created % 200_000 == 0:
                    print(f"  {created} slots…", flush=True)
    if batch:
        Slot.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE sas_site; ANALYZE sas_slot; ANALYZE sas_effector;")
    return time.perf_counter() - started


# --- the measures --------------------------------------------------------------------------


def search_timing(communes, now) -> tuple[Timing, dict]:
    window = (now, selectors.default_window(now)[1])
    stats = {"widened": 0, "slots": [], "radius": []}

    def search(commune):
        criteria = selectors.SearchCriteria(
            latitude=commune.latitude,
            longitude=commune.longitude,
            department_code=commune.department_id,
            region_code=REGION,
            window_start=window[0],
            window_end=window[1],
        )
        result = selectors.slot_search(criteria)
        stats["widened"] += result.widened
        stats["slots"].append(result.slot_count)
        stats["radius"].append(result.radius_km)

    timing = time_callable(search, communes, warmup=5)
    return timing, stats


def http_timing(communes, count: int) -> Timing:
    region = Region.objects.get(code=REGION)
    user, _ = User.objects.get_or_create(email="regulation@banc.example")
    RoleAssignment.objects.get_or_create(user=user, role=Role.SAS_REGULATOR, region=region)
    client = Client()
    client.force_login(user)
    urls = []
    for commune in communes[:count]:
        care_request = CareRequest.objects.create(
            region=region,
            called_at=timezone.now(),
            commune=commune,
            age_band="18-59",
            reason="fever",
        )
        urls.append(f"/sas/regulation/demandes/{care_request.pk}/")

    def get(url):
        response = client.get(url, HTTP_HOST="127.0.0.1")
        assert response.status_code == 200, response.status_code

    try:
        in_process = time_callable(get, urls, warmup=3)
        with served() as port:
            over_http = time_callable(
                lambda url: http_get(
                    port, url, Cookie=f"sessionid={client.cookies['sessionid'].value}"
                ),
                urls,
                warmup=3,
            )
        return in_process, over_http
    finally:
        CareRequest.objects.filter(pk__in=[int(u.split("/")[-2]) for u in urls]).delete()


@contextmanager
def served(port: int = 8766):
    """gunicorn (2 sync workers, as in production) on this database, for the time of the
    block: the figures over HTTP include the WSGI server, the middleware and the socket."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DEBUG": "0",
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "config.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}"],
        cwd=Path(__file__).resolve().parent.parent,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                http_get(port, "/healthz")
                break
            except OSError:
                time.sleep(0.1)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


def http_get(port: int, path: str, **headers) -> bytes:
    connection_ = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection_.request("GET", path, headers={"Host": "127.0.0.1", **headers})
        response = connection_.getresponse()
        body = response.read()
        assert response.status == 200, (path, response.status, body[:300])
        return body
    finally:
        connection_.close()


def concurrent_bookings(attempts: int, max_connections: int) -> dict:
    """`attempts` threads book the same free slot at once; returns the outcome counts."""
    slot = Slot.objects.filter(
        selectors.offered_slots(), capacity=1, start__gte=timezone.now()
    ).first()
    barrier = threading.Barrier(attempts)
    gate = threading.Semaphore(max_connections)
    results: list[str] = []
    lock = threading.Lock()

    def book():
        barrier.wait(timeout=60)
        with gate:
            try:
                appointment_book(slot=Slot.objects.get(pk=slot.pk))
                outcome = "booked"
            except SlotUnavailable:
                outcome = "unavailable"
            except Exception as error:  # noqa: BLE001 - counted and shown
                outcome = type(error).__name__
            finally:
                connections.close_all()
        with lock:
            results.append(outcome)

    started = time.perf_counter()
    threads = [threading.Thread(target=book) for _ in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    slot.refresh_from_db()
    appointments = Appointment.objects.filter(slot=slot).count()
    counts = {key: results.count(key) for key in sorted(set(results))}
    # leave the slot as it was for the next run
    Appointment.objects.filter(slot=slot).delete()
    Slot.objects.filter(pk=slot.pk).update(booked=0)
    return {
        "counts": counts,
        "booked_after": slot.booked,
        "appointments": appointments,
        "seconds": elapsed,
    }


def fhir_timings(count: int, rng: random.Random) -> tuple[Timing, Timing, int]:
    """The national aggregator's call (flow INT_R01): 25 practitioners' free slots over 3
    days, with the Schedule and the actors included; at the service level (parse and the
    slots' query) and through the FHIR view (Django's test client, bearer token, the whole
    Bundle as JSON)."""
    from django.http import QueryDict

    from interurps.sas.fhir import search as fhir_search
    from interurps.sas.fhir.auth import api_client_create
    from interurps.sas.models import ApiClient

    ApiClient.objects.filter(name="banc").delete()
    _, token = api_client_create(name="banc")
    identifiers = list(
        Effector.objects.filter(professional__isnull=False, slots__shared=True)
        .values_list("professional__identifier", flat=True)
        .distinct()[:5000]
    )
    today = timezone.localdate()
    queries = []
    for _ in range(count):
        chosen = rng.sample(identifiers, 25)
        start = today + timedelta(days=rng.randrange(0, 10))
        end = start + timedelta(days=2)
        params = QueryDict(mutable=True)
        params.setlist(
            "start",
            [f"ge{start.isoformat()}T00:00:00+01:00", f"le{end.isoformat()}T23:59:59+01:00"],
        )
        params["status"] = "free"
        params["_include"] = "Slot:schedule"
        params["_include:iterate"] = "Schedule:actor"
        params["schedule.actor:Practitioner.identifier"] = ",".join(
            f"urn:oid:1.2.250.1.71.4.2.1|{identifier}" for identifier in chosen
        )
        queries.append(params)
    found = []

    def service(params):
        found.append(len(fhir_search.offered_slots(fhir_search.parse(params))))

    client = Client()

    def http(params):
        response = client.get(
            f"/fhir/Slot?{params.urlencode()}",
            HTTP_HOST="127.0.0.1",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
        assert response.status_code == 200, response.content[:300]

    service_timing = time_callable(service, queries, warmup=5)
    http_timing_ = time_callable(http, queries, warmup=5)
    with served() as port:
        served_timing = time_callable(
            lambda params: http_get(
                port, f"/fhir/Slot?{params.urlencode()}", Authorization=f"Bearer {token}"
            ),
            queries,
            warmup=5,
        )
    return service_timing, http_timing_, served_timing, int(statistics.median(found))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--effectors", type=int, default=20_000)
    parser.add_argument("--slots", type=int, default=1_000_000)
    parser.add_argument("--searches", type=int, default=300)
    parser.add_argument("--http", type=int, default=100, help="searches through the page")
    parser.add_argument("--fhir", type=int, default=200, help="FHIR Slot searches")
    parser.add_argument("--bookings", type=int, default=100)
    parser.add_argument("--connections", type=int, default=80)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database of the bench's own.")
    rng = random.Random(SEED)
    ensure_reference()
    built = build(args.effectors, args.slots, rng)
    communes = list(
        Commune.objects.filter(
            department__region_id=REGION, kind=Commune.Kind.COMMUNE, latitude__isnull=False
        ).order_by("code")
    )
    drawn = [rng.choice(communes) for _ in range(args.searches)]
    search, stats = search_timing(drawn, timezone.now())
    page, page_served = http_timing(drawn, args.http)
    fhir_service, fhir_http, fhir_served, fhir_slots = fhir_timings(args.fhir, rng)
    race = concurrent_bookings(args.bookings, args.connections)
    print()
    print(
        f"PostgreSQL {connection.pg_version // 10000}: "
        f"{Effector.objects.count()} effectors, {Site.objects.count()} sites, "
        f"{Slot.objects.count()} slots" + (f" (built in {built:.0f} s)" if built else "")
    )
    print("\n| Measure | Calls | p50 (ms) | p95 (ms) | max (ms) |\n|---|---|---|---|---|")
    print(search.row("Regulators' search, service level (random communes of region 52)"))
    print(page.row("Regulators' search, page through Django's test client"))
    print(page_served.row("Regulators' search, page over HTTP (gunicorn, 2 workers)"))
    print(fhir_service.row("FHIR `GET /fhir/Slot`, 25 practitioners × 3 days, service level"))
    print(fhir_http.row("FHIR `GET /fhir/Slot`, through Django's test client (Bundle JSON)"))
    print(fhir_served.row("FHIR `GET /fhir/Slot` over HTTP (gunicorn, 2 workers)"))
    print(f"\nFHIR searches: median {fhir_slots} free slots in the Bundle.")
    slots = sorted(stats["slots"])
    print(
        f"\nSearches widened beyond the department's radius: {stats['widened']} of "
        f"{len(drawn)}; matching slots per search: median {statistics.median(slots):.0f}, "
        f"max {slots[-1]}; radius: median {statistics.median(stats['radius']):.0f} km."
    )
    print(
        f"\n{args.bookings} concurrent bookings of one slot (at most {args.connections} "
        f"connections at once): {race['counts']}; slot.booked = {race['booked_after']}, "
        f"appointments = {race['appointments']} ({race['seconds']:.2f} s)."
    )
    assert race["counts"].get("booked") == 1 and race["appointments"] == 1


if __name__ == "__main__":
    main()
