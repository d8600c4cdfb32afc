"""Load test of the main pages, signed in as several roles (locust, headless).

    locust -f bench/locustfile.py --headless -u 10 -r 10 -t 2m --host http://127.0.0.1:8000

Each simulated user signs in with a demo account (password of `load_demo`) and walks the
pages its role sees. Ids come from the environment (bench/national.sh sets them):
BENCH_CPTS (a CPTS of the demo region), BENCH_REGION (52), BENCH_DEPARTMENT (44).

BENCH_WARMUP (seconds, default 0): the statistics are reset once, that long after the
start, so that the figures describe signed-in users only (ten simultaneous sign-ins hash
ten passwords on a 2-core machine and slow every page for a few seconds); the sign-in
burst is then measured apart, by a run with BENCH_WARMUP=0.
"""

import os
import re

import gevent
from locust import HttpUser, between, events, task

PASSWORD = os.environ.get("BENCH_PASSWORD", "demo-InterURPS-2026")
REGION = os.environ.get("BENCH_REGION", "52")
DEPARTMENT = os.environ.get("BENCH_DEPARTMENT", "44")
CPTS = os.environ.get("BENCH_CPTS", "1")
DOMAIN = "demo.interurps.fr"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
WARMUP = float(os.environ.get("BENCH_WARMUP", "0"))


@events.test_start.add_listener
def reset_after_warmup(environment, **kwargs):
    if WARMUP > 0:

        def reset():
            gevent.sleep(WARMUP)
            environment.runner.stats.reset_all()

        gevent.spawn(reset)


class SignedIn(HttpUser):
    abstract = True
    wait_time = between(0.5, 1.5)
    email = ""

    def on_start(self):
        self.client.headers["Accept-Language"] = "fr-FR,fr;q=0.9"
        page = self.client.get("/comptes/connexion/", name="login form")
        token = CSRF.search(page.text).group(1)
        response = self.client.post(
            "/comptes/connexion/",
            {"username": self.email, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": f"{self.host}/comptes/connexion/"},
            name="sign in",
        )
        if "sessionid" not in self.client.cookies:
            response.failure(f"sign-in failed for {self.email}")

    def page(self, path, name=None):
        with self.client.get(path, name=name or path, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
            elif "/comptes/connexion/" in response.url:
                response.failure("redirected to the sign-in page")


class FederationStaff(SignedIn):
    weight = 3
    email = f"charge.mission@{DOMAIN}"

    @task(2)
    def home(self):
        self.page("/", "home")

    @task(2)
    def cpts_list(self):
        self.page(f"/regions/{REGION}/cpts/", "CPTS list")

    @task(2)
    def cpts(self):
        self.page(f"/cpts/{CPTS}/", "CPTS page")

    @task(3)
    def cpts_diagnostic(self):
        self.page(f"/diagnostics/?cpts={CPTS}", "CPTS diagnostic")

    @task(2)
    def department_diagnostic(self):
        self.page(f"/diagnostics/?departement={DEPARTMENT}", "department diagnostic")

    @task(3)
    def professionals(self):
        self.page("/professionnels/", "professionals list")

    @task(1)
    def professionals_search(self):
        self.page("/professionnels/?q=martin", "professionals search")

    @task(2)
    def coverage(self):
        self.page(f"/regions/{REGION}/couverture/", "coverage")

    @task(1)
    def coverage_map(self):
        # What a browser fetches on its first visit (then from its cache).
        self.page(f"/regions/{REGION}/couverture/carte.geojson", "coverage map (GeoJSON)")

    @task(1)
    def department_outlines(self):
        self.page(f"/geographie/communes.geojson?departement={DEPARTMENT}", "outlines (GeoJSON)")

    @task(1)
    def calendar(self):
        self.page(f"/federations/{REGION}/calendrier/", "calendar")

    @task(1)
    def sas_participation(self):
        self.page(f"/sas/{REGION}/participation/", "SAS participation")

    @task(1)
    def sas_indicators(self):
        self.page(f"/sas/indicateurs/{REGION}/", "SAS indicators")

    @task(1)
    def reper_indicators(self):
        self.page(f"/reper/{REGION}/indicateurs/", "REPER indicators")


class CptsCoordinator(SignedIn):
    weight = 1
    email = f"coordination.cpts@{DOMAIN}"

    @task
    def home(self):
        self.page("/", "home")

    @task
    def own_cpts_diagnostic(self):
        # The coordinator's home links to their CPTS; its diagnostic is the heavy page.
        self.page(
            f"/diagnostics/?cpts={os.environ.get('BENCH_COORDINATOR_CPTS', CPTS)}",
            "CPTS diagnostic (coordinator)",
        )


class Partner(SignedIn):
    weight = 1
    email = f"ars@{DOMAIN}"

    @task
    def home(self):
        self.page("/", "home")

    @task
    def cpts_list(self):
        self.page(f"/regions/{REGION}/cpts/", "CPTS list")

    @task
    def coverage(self):
        self.page(f"/regions/{REGION}/couverture/", "coverage")


class SasRegulator(SignedIn):
    """A regulator: today's care requests, and a care request's page, which searches the
    free shared slots around the patient (the SAS's daily tool)."""

    weight = 1
    email = f"regulation.sas@{DOMAIN}"

    @task
    def today(self):
        self.page(f"/sas/regulation/{REGION}/", "SAS regulation (today)")

    @task(2)
    def care_request_search(self):
        request = os.environ.get("BENCH_CARE_REQUEST")
        if request:
            self.page(f"/sas/regulation/demandes/{request}/", "SAS care request (search)")


class HealthProfessional(SignedIn):
    """The demo physiotherapist: their SAS week, their REPER people and work queue."""

    weight = 1
    email = f"kine@{DOMAIN}"

    @task
    def home(self):
        self.page("/", "home")

    @task
    def slots(self):
        self.page("/sas/mes-creneaux/", "SAS my slots (week)")

    @task
    def people(self):
        self.page(f"/reper/regions/{REGION}/personnes/", "REPER people")

    @task
    def queue(self):
        self.page(f"/reper/{REGION}/file/", "REPER work queue")
