"""Management commands that other tools call (`allocate_seats`, `territories_from_flows`):
every invalid input, argparse's own included, ends with a French message on stderr and
exit status 2, never a traceback."""

import sys

from django.core.management.base import BaseCommand, CommandError

EXIT_INVALID = 2
ARGPARSE_MESSAGES = (
    ("the following arguments are required:", "argument(s) obligatoire(s) manquant(s) :"),
    ("unrecognized arguments:", "argument(s) inconnu(s) :"),
    ("expected one argument", "une valeur est attendue"),
    ("invalid choice:", "valeur invalide :"),
    ("choose from", "valeurs possibles :"),
    ("argument ", "option "),
)


def invalid(message: str) -> CommandError:
    """The error of an invalid input: exit status 2 from the command line."""
    return CommandError(message, returncode=EXIT_INVALID)


class FrenchArgumentsCommand(BaseCommand):
    """A command whose argument errors (argparse's) are French and exit with status 2.
    `usage` is appended to them."""

    usage = ""

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)

        def error(message):
            for english, french in ARGPARSE_MESSAGES:
                message = message.replace(english, french)
            message = f"Arguments invalides : {message}. {self.usage}"
            if getattr(self, "_called_from_command_line", False):
                # Django's run_from_argv only turns errors raised after parsing into exits.
                self.stderr.write(message)
                sys.exit(EXIT_INVALID)
            raise invalid(message)

        parser.error = error
        return parser
