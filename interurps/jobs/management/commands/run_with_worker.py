import os
import signal
import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Serveur de développement et worker des travaux en arrière-plan en une commande "
        "(« make run ») ; Ctrl-C arrête les deux."
    )

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport="127.0.0.1:8000", **options):
        worker = None
        # runserver's autoreloader runs this command again in a child process (RUN_MAIN):
        # only the first process starts the worker.
        if os.environ.get("RUN_MAIN") != "true":
            manage = os.path.abspath(sys.argv[0])
            worker = subprocess.Popen([sys.executable, manage, "jobs_worker"])
            self.stdout.write(f"Worker des travaux démarré (processus {worker.pid}).")
        try:
            call_command("runserver", addrport)
        finally:
            if worker is not None and worker.poll() is None:
                worker.send_signal(signal.SIGTERM)
                try:
                    worker.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    worker.kill()
