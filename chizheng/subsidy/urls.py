"""Subsidy pages, under /subsidy/: claims and their review chain, funds, standards,
vouchers and the bulletin."""

from django.urls import path

from . import account_views, views

app_name = "subsidy"

urlpatterns = [
    path("", views.claim_list, name="list"),
    path("classes/<int:class_id>/", views.class_claim, name="class"),
    path("classes/<int:class_id>/calculate/", views.calculate, name="calculate"),
    path("claims/<int:claim_id>/", views.claim_detail, name="detail"),
    path("claims/<int:claim_id>/submit/", views.submit, name="submit"),
    path(
        "individual/certificates/<int:certificate_id>/",
        views.individual_apply,
        name="individual_apply",
    ),
    path(
        "individual/claims/<int:claim_id>/", views.individual_resubmit, name="individual_resubmit"
    ),
    path("claims/<int:claim_id>/review/", views.review, name="review"),
    path("claims/<int:claim_id>/notice/close/", views.notice_close, name="notice_close"),
    path(
        "claims/<int:claim_id>/objections/<int:objection_id>/",
        views.objection_handle,
        name="objection_handle",
    ),
    path("claims/<int:claim_id>/account/", account_views.reveal_account, name="reveal_account"),
    path("claims/<int:claim_id>/disburse/", views.disburse, name="disburse"),
    path("claims/<int:claim_id>/recover/", views.recover, name="recover"),
    path("funds/", views.funds, name="funds"),
    path("standards/", views.standard_table, name="standards"),
    path("vouchers/", views.vouchers, name="vouchers"),
    path("vouchers/<int:voucher_id>/", views.voucher_detail, name="voucher"),
    path("bulletin/", views.bulletin, name="bulletin"),
]
