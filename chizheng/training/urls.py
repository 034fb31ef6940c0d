"""Class pages, under /classes/: the list, the review queue, the inspection plan, the
office's pure-online list and each class's application, reviews, sessions, inspections,
assessment, results, survey, the offices' opinions and the print of 附件2 (HTML, PDF)."""

from django.urls import path

from . import annex2_views, pure_online_views, views, views_sign_in

app_name = "training"

urlpatterns = [
    path("", views.class_list, name="list"),
    path("new/", views.class_new, name="new"),
    path("queue/", views.queue, name="queue"),
    path("inspections/", views.inspection_plan, name="inspection_plan"),
    path("pure-online/", pure_online_views.pure_online_list, name="pure_online"),
    path("pure-online/add/", pure_online_views.pure_online_add, name="pure_online_add"),
    path(
        "pure-online/<int:item_id>/end/",
        pure_online_views.pure_online_end,
        name="pure_online_end",
    ),
    path("sessions/<int:session_id>/code/", views_sign_in.sign_in_code, name="sign_in_code"),
    path("sessions/<int:session_id>/sign-in/", views_sign_in.sign_in, name="sign_in"),
    path("<int:class_id>/", views.class_detail, name="detail"),
    path("<int:class_id>/edit/", views.class_edit, name="edit"),
    path("<int:class_id>/roster/", views.roster_add, name="roster"),
    path("<int:class_id>/roster/<int:person_id>/contract/", views.contract_set, name="contract"),
    path("<int:class_id>/check/", views.class_check, name="check"),
    path("<int:class_id>/submit/", views.class_submit, name="submit"),
    path("<int:class_id>/review/", views.class_review, name="review"),
    path("<int:class_id>/withdraw/", views.class_withdraw, name="withdraw"),
    path("<int:class_id>/start/", views.class_start, name="start"),
    path("<int:class_id>/sessions/", views.session_add, name="session_add"),
    path(
        "<int:class_id>/sessions/<int:session_id>/attendance/", views.attendance, name="attendance"
    ),
    path("<int:class_id>/inspections/", views.inspection_add, name="inspection_add"),
    path("<int:class_id>/assessment/", views.assessment_register, name="assessment"),
    path("<int:class_id>/results/", views.results, name="results"),
    path("<int:class_id>/survey/", views.survey, name="survey"),
    path("<int:class_id>/survey/close/", views.survey_close, name="survey_close"),
    path("<int:class_id>/survey/code/", views_sign_in.survey_code, name="survey_code"),
    path("<int:class_id>/opinions/", annex2_views.opinion_add, name="opinion_add"),
    path("<int:class_id>/print/", annex2_views.form_print, name="print"),
    path("<int:class_id>/pdf/", annex2_views.form_pdf, name="pdf"),
]
