import re
import unicodedata


def normalize_name(value: str) -> str:
    """Lower-case, accent-free, punctuation-free form used to search names.

    >>> normalize_name("L'Île-d'Yeu")
    'l ile d yeu'
    """
    decomposed = unicodedata.normalize("NFKD", value)
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", " ", ascii_only.lower()).strip()
