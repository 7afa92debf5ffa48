from kit.service_main import service_cli
from services.notify.app import MIGRATIONS, build
from services.notify.settings import NotifySettings

service_cli("notify", build, MIGRATIONS, NotifySettings)()
