"""The project's locale formats (settings.FORMAT_MODULE_PATH): what Django's own French
formats leave to French typography, see `fr/formats.py`."""
