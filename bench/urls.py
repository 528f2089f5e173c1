from django.urls import path

from bench import views

urlpatterns = [
    path("bench/baseline", views.bench_baseline, name="bench_baseline"),
    path("bench/page-cache/<uuid:code>", views.bench_page_cache, name="bench_page_cache"),
]
