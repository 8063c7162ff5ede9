"""The order desk: home, the order list with its bulk actions, and the order page with its actions."""

from django.urls import path

from dashboard.orders.views import detail, home, lines, order_list, order_page

urlpatterns = [
    path("", home.home, name="home"),
    path("orders/", order_list.order_list, name="order_list"),
    path("orders/bulk/", order_list.order_bulk, name="order_bulk"),
    path("orders/<str:number>/", detail.order_detail, name="order_detail"),
    path("orders/<str:number>/transition/", order_page.order_transition, name="order_transition"),
    path("orders/<str:number>/notes/", order_page.order_note_add_view, name="order_note_add"),
    path("orders/<str:number>/assign/", order_page.order_assign_view, name="order_assign"),
    path("orders/<str:number>/edit/", order_page.order_edit, name="order_edit"),
    path("orders/<str:number>/lines/", lines.order_lines_edit, name="order_lines_edit"),
    path("orders/<str:number>/cancel-part/", lines.order_cancel_part, name="order_cancel_part"),
    path(
        "orders/<str:number>/inquiries/<int:pk>/answer/", order_page.order_inquiry_answer, name="order_inquiry_answer"
    ),
]
