from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "taille"
    page_size_query_description = "Nombre de résultats par page (200 au plus)."
    page_query_description = "Numéro de la page."
    max_page_size = 200
    invalid_page_message = "Page invalide : au-delà de la dernière page ou mal écrite."
