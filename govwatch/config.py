"""Site configuration (contract §3): YAML in, validated dataclasses out.

Every problem is reported as one line naming the file and the key path
(``site.yaml: site.start_urls[0]: 不是有效的网址``) so an operator can fix the
file without reading Python. Unknown keys are errors: a misspelt key silently
ignored is a monitor silently not doing its job.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    create_model,
    field_validator,
    model_validator,
)

from common import yamlfile
from common.regions import region_key, region_of_site
from detectors.terms.allow_file import AllowFileError, read_allow_file
from storage.models import Finding, NewMediaFetch, NewMediaPost, Observation, Site
from storage.retention import DEFAULT_RETENTION


def _stored_chars(*columns: Any) -> int:
    """The most characters every one of these database columns holds: a longer name
    would fail the scan that stores it (PostgreSQL enforces ``VARCHAR(n)``)."""
    return min(column.type.length for column in columns)


# Names that the scan stores, limited by the columns that store them. The site's name is
# the unit of its findings when no unit is configured.
UNIT_NAME_CHARS = _stored_chars(Finding.__table__.c.unit, Observation.__table__.c.unit)
SITE_ID_CHARS = _stored_chars(Site.__table__.c.id)
SITE_NAME_CHARS = min(_stored_chars(Site.__table__.c.name), UNIT_NAME_CHARS)
ACCOUNT_NAME_CHARS = _stored_chars(
    NewMediaPost.__table__.c.account, NewMediaFetch.__table__.c.account
)
UnitName = Annotated[str, Field(min_length=1, max_length=UNIT_NAME_CHARS)]

ColumnCategory = Literal["news", "notice", "policy", "personnel", "planning", "static"]
Platform = Literal["wechat", "weibo", "douyin", "toutiao", "kuaishou", "bilibili", "other"]


def _http_url(value: str) -> str:
    value = value.strip()
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("不是有效的网址")
    return value


def _cron(value: str) -> str:
    from apscheduler.triggers.cron import CronTrigger

    try:
        CronTrigger.from_crontab(value)
    except ValueError as exc:
        raise ValueError(f"不是有效的 cron 表达式（{exc}）") from None
    return value


HttpUrl = Annotated[str, AfterValidator(_http_url)]
Cron = Annotated[str, AfterValidator(_cron)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class HostPoliteness(_Strict):
    concurrency: int = Field(ge=1, le=256)
    delay_s: float = Field(default=0.0, ge=0, le=60)


class Politeness(_Strict):
    """Per-host request limits. Defaults suit a site's own monitor: its own hosts
    are fetched briskly, other people's servers gently."""

    own_hosts: HostPoliteness = HostPoliteness(concurrency=8, delay_s=0.0)
    other_hosts: HostPoliteness = HostPoliteness(concurrency=2, delay_s=0.25)
    hosts: dict[str, HostPoliteness] = Field(default_factory=dict)


class SiteSection(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=SITE_ID_CHARS)
    name: str = Field(min_length=1, max_length=SITE_NAME_CHARS)
    # The province-level region (重庆, 江西省 …), for names current only there; by
    # default read from the start of ``name`` (重庆市渝中区人民政府 → 重庆).
    region: str | None = None
    start_urls: list[HttpUrl] = Field(min_length=1)
    allowed_domains: list[str] = Field(default_factory=list)
    home_url: HttpUrl | None = None
    max_pages: int = Field(default=50000, ge=1)
    timeout_s: float = Field(default=15, gt=0, le=300)
    concurrency: int = Field(default=16, ge=1, le=512)
    respect_robots_txt: bool = False
    retries: int = Field(default=2, ge=0, le=10)
    retry_after_cap_s: float = Field(default=30, ge=0, le=600)
    # PDF/DOCX/XLSX files of the site up to this size have their text checked (0: off).
    attachment_max_mb: float = Field(default=20, ge=0, le=500)
    user_agent: str | None = None
    politeness: Politeness = Politeness()

    @field_validator("allowed_domains")
    @classmethod
    def _domains(cls, value: list[str]) -> list[str]:
        for domain in value:
            if not domain or "/" in domain or " " in domain:
                raise ValueError(f"“{domain}”不是有效的域名（只写主机名，如 www.example.gov.cn）")
        return [d.lower() for d in value]

    @field_validator("region")
    @classmethod
    def _region(cls, value: str | None) -> str | None:
        if value is None:
            return None
        key = region_key(value)
        if key is None:
            raise ValueError(f"“{value}”不是省级行政区的名称（如 重庆、江西省、广西壮族自治区）")
        return key

    @model_validator(mode="after")
    def _defaults(self) -> SiteSection:
        if self.region is None:
            object.__setattr__(self, "region", region_of_site(self.name))
        if not self.allowed_domains:
            hosts = [urlsplit(u).hostname or "" for u in self.start_urls]
            object.__setattr__(self, "allowed_domains", sorted(set(hosts)))
        if self.home_url is None:
            object.__setattr__(self, "home_url", self.start_urls[0])
        return self


class Unit(_Strict):
    name: UnitName
    default: bool = False
    paths: list[str] = Field(default_factory=list)

    @field_validator("paths")
    @classmethod
    def _paths(cls, value: list[str]) -> list[str]:
        for prefix in value:
            if not (prefix.startswith("/") or prefix.startswith(("http://", "https://"))):
                raise ValueError(f"“{prefix}”应以 / 开头（网址路径前缀）或是完整网址")
        return value


class ColumnOverride(_Strict):
    url: HttpUrl
    category: ColumnCategory | None = None
    unit: UnitName | None = None
    name: str | None = None


class PolicySection(_Strict):
    document_columns: list[HttpUrl] = Field(default_factory=list)
    interpretation_columns: list[HttpUrl] = Field(default_factory=list)
    max_working_days: int = Field(default=3, ge=0, le=60)


class OpenDaysSection(_Strict):
    """政府开放日 previews (``open_day_notice``): how many working days ahead they are due."""

    min_working_days: int = Field(default=15, ge=1, le=60)


class InteractionSection(_Strict):
    """Consultation channels (interaction_unanswered): the reply limit, in working days
    (default: the plan's 20, see detectors.interaction_unanswered)."""

    max_reply_working_days: int = Field(default=20, ge=1, le=120)


class PublicationSection(_Strict):
    """Proactive disclosure (late_publication): days from 成文日期 to 发布日期; calendar
    days as the plan writes “3日”, or working days."""

    max_days: int = Field(default=3, ge=0, le=120)
    working_days: bool = False


class NewMediaAccount(_Strict):
    name: str = Field(min_length=1, max_length=ACCOUNT_NAME_CHARS)
    platform: Platform
    feed: HttpUrl
    unit: UnitName | None = None
    max_silent_days: int | None = Field(default=None, ge=1)  # else detectors.new_media_stale


class TermsSection(_Strict):
    allow: list[str] = Field(default_factory=list)
    extra_lists: list[str] = Field(default_factory=list)
    # The allow-list data file the review app appends to (detectors.terms.allow_file):
    # relative to the config file; by default ``<site id>.allow.txt`` beside it.
    allow_file: str | None = Field(default=None, min_length=1)


class ScheduleSection(_Strict):
    """What ``govwatch schedule`` runs and when (cron expressions in Asia/Shanghai)."""

    scan: Cron | None = None
    probe_every_minutes: int | None = Field(default=None, ge=1, le=1440)
    weekly_report: Cron | None = None
    # Key pages probed besides the home page (the home page always is).
    probe_urls: list[HttpUrl] = Field(default_factory=list)
    # A scan still running after this long is stopped and recorded as timed out.
    scan_time_limit_hours: float = Field(default=6, gt=0, le=72)
    # A run missed (the scheduler was down) still starts this late; later it is skipped.
    misfire_grace_minutes: int = Field(default=60, ge=1, le=1440)
    # On SIGTERM a running scan has this long to finish before it is interrupted.
    stop_grace_seconds: int = Field(default=30, ge=0, le=3600)
    # Where the weekly report job writes 周报-<site>-<date>.<suffix>.
    weekly_report_dir: str = Field(default="weekly-reports", min_length=1)
    weekly_report_format: Literal["html", "pdf", "docx"] = "html"


class ReportsSection(_Strict):
    """What rectification notices and the weekly report say about who sends them.

    Every key is optional: without it the notices are issued in the site's name."""

    issuer: str | None = Field(default=None, min_length=1)  # 发文机关, e.g. 某市政务服务数据管理局
    contact: str | None = Field(default=None, min_length=1)  # 联系人及电话
    signature: str | None = Field(default=None, min_length=1)  # 落款; defaults to the issuer
    # The unit that runs the monitoring (政务公开办): problems only it can fix, such as a
    # new-media mirror that cannot be read, go to it. Defaults to the default unit.
    monitoring_unit: str | None = Field(default=None, min_length=1)
    deadline_working_days: int = Field(default=5, ge=1, le=60)
    veto_deadline_working_days: int = Field(default=2, ge=1, le=60)

    @model_validator(mode="after")
    def _veto_sooner(self) -> ReportsSection:
        if self.veto_deadline_working_days > self.deadline_working_days:
            raise ValueError(
                "veto_deadline_working_days: 单项否决问题的整改期限"
                f"（{self.veto_deadline_working_days} 个工作日）不应长于一般问题的期限"
                f"（deadline_working_days: {self.deadline_working_days}）"
            )
        return self


AlertEvent = Literal["veto", "unreachable", "scan_failed", "scan_empty"]


def _alert_url(value: str) -> str:
    value = value.strip()
    scheme, sep, rest = value.partition("://")
    if not sep or not scheme or not rest or not scheme.replace("+", "").isalnum():
        raise ValueError(f"“{value}”不是有效的通知地址（如 mailto://…、json://…、dingtalk://…）")
    return value


def _quiet_hours(value: str) -> str:
    """``22:00-07:00``: two times of day (Beijing), across midnight allowed."""
    start, sep, end = value.strip().partition("-")
    try:
        if not sep:
            raise ValueError
        for part in (start, end):
            hour, minute = part.strip().split(":")
            if not (0 <= int(hour) <= 23 and 0 <= int(minute) <= 59 and len(minute) == 2):
                raise ValueError
    except ValueError:
        raise ValueError(f"“{value}”应为“开始-结束”时刻，如 22:00-07:00") from None
    return value.strip()


class AlertsSection(_Strict):
    """Where alerts go (Apprise URLs) and on which events."""

    channels: list[Annotated[str, AfterValidator(_alert_url)]] = Field(default_factory=list)
    on: list[AlertEvent] = Field(
        default_factory=lambda: ["veto", "unreachable", "scan_failed", "scan_empty"]
    )
    # The review app's address; messages link a finding as <review_url>/findings/<id>.
    review_url: HttpUrl | None = None
    # No message in these hours (Beijing); what comes up meanwhile is sent after them.
    quiet_hours: Annotated[str, AfterValidator(_quiet_hours)] | None = None
    # A scan that finds no page alerts when the site's previous completed scan read
    # at least this many.
    empty_scan_after_pages: int = Field(default=1000, ge=1)

    @model_validator(mode="before")
    @classmethod
    def _on_key(cls, data: Any) -> Any:
        """YAML 1.1 reads the key ``on`` as true; the operator meant ``on``."""
        if isinstance(data, dict) and True in data and "on" not in data:
            data = {("on" if k is True else k): v for k, v in data.items()}
        return data


def detector_settings(section: Any) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """The ``detectors:`` section validated against the registry: per detector id,
    ``enabled`` and its declared options (defaults filled in); and one problem line per
    bad key, with its key path."""
    from detectors.registry import detector_class, titles

    if section is None:
        return {}, []
    if not isinstance(section, dict):
        return {}, ["detectors: 应为映射（检测项: {enabled: …, 选项: …}）"]
    settings: dict[str, dict[str, Any]] = {}
    problems = []
    for detector_id, value in section.items():
        cls = detector_class(str(detector_id))
        if cls is None:
            known = "、".join(sorted(titles()))
            problems.append(f"detectors.{detector_id}: 未知的检测项（可选：{known}）")
            continue
        try:
            model = _settings_model(cls).model_validate({} if value is None else value)
        except ValidationError as exc:
            for error in exc.errors():
                key = _key_path(("detectors", detector_id, *error["loc"]))
                problems.append(f"{key}: {_describe(error)}")
            continue
        settings[cls.id] = model.model_dump()
    return settings, problems


def _settings_model(cls: Any) -> type[BaseModel]:
    fields: dict[str, Any] = {"enabled": (bool, True)}
    for name, option in cls.options.items():
        bounds = {"ge": option.minimum, "le": option.maximum}
        constraints = {k: v for k, v in bounds.items() if v is not None}
        fields[name] = (type(option.default), Field(default=option.default, **constraints))
    return create_model(f"{cls.id}_settings", __config__=_Strict.model_config, **fields)


class SiteConfig(_Strict):
    site: SiteSection
    units: list[Unit] = Field(default_factory=list)
    columns: list[ColumnOverride] = Field(default_factory=list)
    policy: PolicySection = PolicySection()
    interaction: InteractionSection = InteractionSection()
    publication: PublicationSection = PublicationSection()
    new_media: list[NewMediaAccount] = Field(default_factory=list)
    open_days: OpenDaysSection = OpenDaysSection()
    terms: TermsSection = TermsSection()
    schedule: ScheduleSection = ScheduleSection()
    reports: ReportsSection = ReportsSection()
    alerts: AlertsSection = AlertsSection()
    # The raw rows (pages, links, URL checks, page facts) of this many newest completed
    # scans are kept; older scans keep their findings and summary (storage.retention).
    retention: int = Field(default=DEFAULT_RETENTION, ge=1, le=1000)
    # Per detector id: ``enabled`` and its options (see :func:`detector_settings`).
    detectors: dict[str, dict[str, Any]] = Field(default_factory=dict)

    @field_validator("detectors", mode="before")
    @classmethod
    def _detectors(cls, value: Any) -> dict[str, dict[str, Any]]:
        settings, problems = detector_settings(value)
        if problems:  # parse_config reports them one a line before this runs
            raise ValueError("；".join(problems))
        return settings

    @model_validator(mode="after")
    def _units(self) -> SiteConfig:
        names = [u.name for u in self.units]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"units: 单位名称重复：{'、'.join(dupes)}")
        defaults = [u.name for u in self.units if u.default]
        if len(defaults) > 1:
            raise ValueError(
                f"units: 只能有一个默认单位（default: true），现有 {'、'.join(defaults)}"
            )
        known = set(names)
        for i, col in enumerate(self.columns):
            if col.unit and known and col.unit not in known:
                raise ValueError(f"columns[{i}].unit: 未在 units 中定义的单位“{col.unit}”")
        seen_columns: dict[str, int] = {}
        for i, col in enumerate(self.columns):
            key = col.url.rstrip("/").lower()
            if key in seen_columns:
                raise ValueError(
                    f"columns[{i}].url: 与 columns[{seen_columns[key]}] 是同一个栏目，请合并为一条"
                )
            seen_columns[key] = i
        for i, acc in enumerate(self.new_media):
            if acc.unit and known and acc.unit not in known:
                raise ValueError(f"new_media[{i}].unit: 未在 units 中定义的单位“{acc.unit}”")
        office = self.reports.monitoring_unit
        if office and known and office not in known:
            raise ValueError(f"reports.monitoring_unit: 未在 units 中定义的单位“{office}”")
        return self

    @property
    def default_unit(self) -> str:
        for unit in self.units:
            if unit.default:
                return unit.name
        return self.units[0].name if self.units else self.site.name

    @property
    def monitoring_unit(self) -> str:
        """Who answers for the monitoring itself (``reports.monitoring_unit``, else the
        default unit)."""
        return self.reports.monitoring_unit or self.default_unit


@dataclass(frozen=True)
class LoadedConfig:
    path: Path
    config: SiteConfig


class ConfigError(Exception):
    """A config that cannot be used; ``problems`` holds one printable line each."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


_MESSAGES = {
    "missing": "缺少必填项",
    "extra_forbidden": "未知的配置项（请检查拼写）",
    "string_type": "应为文本",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "list_type": "应为列表",
    "dict_type": "应为映射（键: 值）",
    "model_type": "应为映射（键: 值）",
    "literal_error": "取值无效",
    "string_pattern_mismatch": "格式无效",
    "too_short": "不能为空",
    "string_too_short": "不能为空",
    "string_too_long": "过长",
    "greater_than": "数值过小",
    "greater_than_equal": "数值过小",
    "less_than_equal": "数值过大",
}


def _key_path(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _describe(error: dict[str, Any]) -> str:
    kind = error["type"]
    if kind == "value_error":
        text = str(error.get("ctx", {}).get("error", error["msg"]))
        return text
    base = _MESSAGES.get(kind, error["msg"])
    ctx = error.get("ctx") or {}
    if kind == "literal_error" and "expected" in ctx:
        return f"{base}，可选：{ctx['expected']}"
    if kind in ("greater_than", "greater_than_equal", "less_than_equal") and ctx:
        bound = next(iter(ctx.values()))
        op = {"greater_than": ">", "greater_than_equal": "≥", "less_than_equal": "≤"}[kind]
        return f"{base}（应 {op} {bound}）"
    if kind == "string_too_long" and "max_length" in ctx:
        return f"{base}（最多 {ctx['max_length']} 个字符：数据库中只能保存这么长）"
    if kind == "string_pattern_mismatch" and error["loc"][-1] == "id":
        return "格式无效（只能用小写字母、数字、- 和 _）"
    return base


def parse_config(text: str, source: str = "<config>") -> SiteConfig:
    try:
        document = yamlfile.parse(text, source)
    except yamlfile.YamlSyntaxError as exc:
        where = f"第 {exc.line} 行第 {exc.column} 列" if exc.line else ""
        raise ConfigError([f"{source}: YAML 语法错误 {where}：{exc.detail}".rstrip()]) from None
    if document.duplicates:
        dup = document.duplicates[0]
        raise ConfigError(
            [
                f"{source}: YAML 语法错误 第 {dup.line} 行第 {dup.column} 列："
                f"重复的键“{dup.key}”（第 {dup.line} 行）"
            ]
        )
    data = document.data
    if not isinstance(data, dict):
        raise ConfigError([f"{source}: 配置文件应是一个映射（site: …, units: …）"])
    problems = [f"{source}: {p}" for p in detector_settings(data.get("detectors"))[1]]
    if problems:
        data = {k: v for k, v in data.items() if k != "detectors"}
    try:
        config = SiteConfig.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            key = _key_path(error["loc"])
            text = _describe(error)
            problems.append(f"{source}: {key}: {text}" if key else f"{source}: {text}")
    if problems:
        raise ConfigError(problems) from None
    return config


def load_config(path: str | Path) -> LoadedConfig:
    path = Path(path)
    try:
        text = yamlfile.read_text(path)
    except yamlfile.YamlFileError as exc:
        raise ConfigError([str(exc)]) from None
    config = parse_config(text, str(path))
    problems = []
    for i, extra in enumerate(config.terms.extra_lists):
        if not (path.parent / extra).is_file():
            problems.append(f"{path}: terms.extra_lists[{i}]: 词表文件不存在（{extra}）")
    allow_name = config.terms.allow_file or f"{config.site.id}.allow.txt"
    allow_file = (path.parent / allow_name).resolve()
    if not allow_file.parent.is_dir():
        problems.append(
            f"{path}: terms.allow_file: 白名单文件所在的目录不存在（{allow_file.parent}）"
        )
    try:
        read_allow_file(allow_file)
    except AllowFileError as error:
        problems.extend(f"{path}: terms.allow_file: {line}" for line in error.problems)
    if problems:
        raise ConfigError(problems)
    # Word lists and the allow file are named relative to the config file; detectors get
    # absolute paths.
    lists = [str((path.parent / extra).resolve()) for extra in config.terms.extra_lists]
    terms = config.terms.model_copy(update={"extra_lists": lists, "allow_file": str(allow_file)})
    return LoadedConfig(path=path, config=config.model_copy(update={"terms": terms}))
