import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oms.settings")
application = get_wsgi_application()
# What a web worker loaded at start (Django, DRF, Celery, the project's modules: some 165,000 objects) lives as
# long as the process. Frozen, it is left out of the garbage collector's full collections, which otherwise scan
# all of it every few hundred requests (about 0.1 s each).
gc.freeze()
