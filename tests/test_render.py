"""Captions: Indonesian filters, platform variants, strict variables, a sandbox, plain text."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from scheduler.calendar import Calendar, load_calendar
from scheduler.calendar.expand import Occurrence, expand
from scheduler.problems import Problem
from scheduler.render import Renderer, RenderError, hari, jam, tanggal, tanggal_pendek
from tests.conftest import ROOT, WriteCalendar

DAY = date(2026, 12, 7)  # a Monday
UNDEFINED = (
    "post '{post}': variable '{name}' is undefined; define it under vars "
    "(of the calendar or of the post)"
)

HEAD = """\
version: 1
timezone: {zone}
vars: {{instansi: Desa Sukamaju, tagar: ["#DesaSukamaju", "#InfoDesa"], kontak: WA 0812}}
accounts:
  fb-desa: {{platform: facebook, page_id: "1"}}
  ig-desa: {{platform: instagram, ig_user_id: "2"}}
defaults: {{accounts: [fb-desa]}}
posts:
"""


def write(
    write_calendar: WriteCalendar, posts: str, zone: str = "Asia/Jakarta", **files: str
) -> Path:
    return write_calendar(HEAD.format(zone=zone) + posts, **files)


def occurrences(path: Path) -> tuple[Calendar, list[Occurrence]]:
    calendar = load_calendar(path)
    return calendar, expand(calendar, DAY, DAY)


def render_all(path: Path) -> list[str]:
    calendar, found = occurrences(path)
    renderer = Renderer(calendar)
    return [renderer.render(o) for o in found]


def render_one(path: Path) -> str:
    [caption] = render_all(path)
    return caption


def render_error(path: Path) -> Problem:
    with pytest.raises(RenderError) as info:
        render_all(path)
    return info.value.problem


def caption_post(caption: str, extra: str = "") -> str:
    return f"  - id: rapat\n    at: '2026-12-07 09:00'\n    caption: '{caption}'\n{extra}"


def template_post(template: str, extra: str = "") -> str:
    return f"  - id: rapat\n    at: '2026-12-07 09:00'\n    template: {template}\n{extra}"


# -- filters -------------------------------------------------------------------------------------


def test_date_filters_speak_indonesian() -> None:
    at = datetime(2026, 12, 7, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
    assert tanggal(at) == "Senin, 7 Desember 2026"
    assert tanggal_pendek(at) == "7 Desember 2026"
    assert hari(at) == "Senin"
    assert tanggal(date(2026, 12, 1)) == "Selasa, 1 Desember 2026"
    assert tanggal(date(2027, 8, 15)) == "Minggu, 15 Agustus 2027"


def test_filters_in_a_caption(write_calendar: WriteCalendar) -> None:
    caption = "{{ at | tanggal }} pukul {{ at | jam }} ({{ at | hari }}, {{ at | tanggal_pendek }})"
    path = write(write_calendar, caption_post(caption))
    assert render_one(path) == "Senin, 7 Desember 2026 pukul 09.00 WIB (Senin, 7 Desember 2026)"


@pytest.mark.parametrize(
    ("zone", "shown"),
    [
        ("Asia/Jakarta", "09.00 WIB"),
        ("Asia/Pontianak", "09.00 WIB"),
        ("Asia/Makassar", "09.00 WITA"),
        ("Asia/Jayapura", "09.00 WIT"),
        ("Asia/Kolkata", "09.00 UTC+05:30"),
        ("Asia/Singapore", "09.00 UTC+08:00"),
        ("America/Sao_Paulo", "09.00 UTC-03:00"),
    ],
)
def test_jam_names_the_zone(write_calendar: WriteCalendar, zone: str, shown: str) -> None:
    path = write(write_calendar, caption_post("{{ at | jam }}"), zone=zone)
    assert render_one(path) == shown


def test_jam_uses_a_dot_and_two_digits() -> None:
    at = datetime(2026, 12, 7, 7, 5, tzinfo=ZoneInfo("Asia/Makassar"))
    assert jam(at) == "07.05 WITA"


def test_date_text_from_vars_works_with_the_shipped_template(
    write_calendar: WriteCalendar,
) -> None:
    extra = "    vars: {judul: Rapat, isi: Isi, tempat: Balai Desa, waktu_acara: 2026-12-13}\n"
    path = write(write_calendar, template_post("pengumuman", extra))
    assert "🗓️ Minggu, 13 Desember 2026\n📍 Balai Desa" in render_one(path)


def test_filter_on_text_that_is_not_a_date(write_calendar: WriteCalendar) -> None:
    path = write(
        write_calendar, caption_post("{{ judul | tanggal }}", "    vars: {judul: Rapat}\n")
    )
    problem = render_error(path)
    assert problem.message == (
        "post 'rapat': the template failed: the tanggal filter needs a date "
        "such as 2026-12-13, not 'Rapat'"
    )


# -- choosing the template -----------------------------------------------------------------------

VARIANTS = {
    "templates/salam.j2": "Salam dari {{ platform }} (umum)",
    "templates/salam.instagram.j2": "Salam dari {{ platform }} (khusus)",
}


def test_platform_variant_comes_first(write_calendar: WriteCalendar) -> None:
    post = template_post("salam", "    accounts: [fb-desa, ig-desa]\n")
    path = write(write_calendar, post, **VARIANTS)
    assert render_all(path) == ["Salam dari facebook (umum)", "Salam dari instagram (khusus)"]


def test_facebook_variant(write_calendar: WriteCalendar) -> None:
    files = {**VARIANTS, "templates/salam.facebook.j2": "Salam Facebook"}
    post = template_post("salam", "    accounts: [fb-desa, ig-desa]\n")
    path = write(write_calendar, post, **files)
    assert render_all(path) == ["Salam Facebook", "Salam dari instagram (khusus)"]


def test_template_name_with_or_without_suffix(write_calendar: WriteCalendar) -> None:
    extra = "    vars: {judul: Rapat, isi: Isi rapat}\n"
    bare = render_one(write(write_calendar, template_post("pengumuman", extra)))
    suffixed = render_one(write(write_calendar, template_post("pengumuman.j2", extra)))
    assert bare == suffixed
    assert bare.startswith("📢 PENGUMUMAN\n\nRapat\n\nIsi rapat\n")


def test_subfolder_template(write_calendar: WriteCalendar) -> None:
    files = {"templates/ucapan/lebaran.j2": "Mohon maaf lahir dan batin"}
    path = write(write_calendar, template_post("ucapan/lebaran"), **files)
    assert render_one(path) == "Mohon maaf lahir dan batin"


# -- context -------------------------------------------------------------------------------------


def test_post_vars_override_calendar_vars(write_calendar: WriteCalendar) -> None:
    post = caption_post("{{ instansi }} {{ kontak }}", "    vars: {instansi: Kelurahan Maju}\n")
    assert render_one(write(write_calendar, post)) == "Kelurahan Maju WA 0812"


def test_context_describes_the_occurrence(write_calendar: WriteCalendar) -> None:
    caption = "{{ post_id }}|{{ account }}|{{ platform }}|{{ at.isoformat() }}|{{ kind }}"
    post = caption_post(caption, "    accounts: [ig-desa]\n")
    assert render_one(write(write_calendar, post)) == (
        "rapat|ig-desa|instagram|2026-12-07T09:00:00+07:00|feed"
    )


def test_context_at_is_the_aware_occurrence_time(write_calendar: WriteCalendar) -> None:
    calendar, [occurrence] = occurrences(write(write_calendar, caption_post("x"), "Asia/Jayapura"))
    context = Renderer(calendar).context(occurrence)
    assert context["at"] == datetime(2026, 12, 7, 9, 0, tzinfo=ZoneInfo("Asia/Jayapura"))
    assert context["at"].utcoffset().total_seconds() == 9 * 3600
    assert (context["account"], context["platform"], context["post_id"]) == (
        "fb-desa",
        "facebook",
        "rapat",
    )


def test_output_is_plain_text(write_calendar: WriteCalendar) -> None:
    post = caption_post(
        "{{ judul }} & <b>tebal</b>", "    vars: {judul: 'Kerja & Bakti <RW 01>'}\n"
    )
    assert render_one(write(write_calendar, post)) == "Kerja & Bakti <RW 01> & <b>tebal</b>"


def test_output_is_stripped(write_calendar: WriteCalendar) -> None:
    files = {"templates/spasi.j2": "\n\n  Halo {{ instansi }}  \n\n"}
    assert render_one(write(write_calendar, template_post("spasi"), **files)) == (
        "Halo Desa Sukamaju"
    )


def test_is_defined_and_default_still_work(write_calendar: WriteCalendar) -> None:
    caption = '{{ tempat | default("Balai Desa") }}{% if catatan is defined %}!{% endif %}'
    assert render_one(write(write_calendar, caption_post(caption))) == "Balai Desa"


# -- missing variables and broken templates ------------------------------------------------------


def test_missing_variable_in_a_template_file(write_calendar: WriteCalendar) -> None:
    files = {"templates/undangan.j2": "Undangan\n\nDari {{ instansi }}\nUntuk {{ penerima }}\n"}
    path = write(write_calendar, template_post("undangan"), **files)
    problem = render_error(path)
    assert Path(problem.path).resolve() == (path.parent / "templates/undangan.j2").resolve()
    assert (problem.line, problem.column, problem.severity) == (4, 1, "error")
    assert problem.message == UNDEFINED.format(post="rapat", name="penerima")


def test_missing_variable_in_a_shipped_template(write_calendar: WriteCalendar) -> None:
    path = write(write_calendar, template_post("kegiatan", "    vars: {judul: Kerja Bakti}\n"))
    problem = render_error(path)
    assert Path(problem.path).name == "kegiatan.j2"
    assert problem.line == 3
    assert problem.message == UNDEFINED.format(post="rapat", name="isi")


def test_missing_variable_in_an_inline_caption(write_calendar: WriteCalendar) -> None:
    path = write(write_calendar, caption_post("Halo {{ penerima }}"))
    assert str(render_error(path)) == (
        f"{path}:11:14: error: " + UNDEFINED.format(post="rapat", name="penerima")
    )


def test_missing_variable_in_a_block_caption(write_calendar: WriteCalendar) -> None:
    post = "  - id: rapat\n    at: '2026-12-07 09:00'\n    caption: |\n      Halo\n      {{ x }}\n"
    path = write(write_calendar, post)
    problem = render_error(path)
    assert (problem.path, problem.line) == (str(path), 13)  # the line holding '{{ x }}'


def test_missing_variable_in_an_included_template(write_calendar: WriteCalendar) -> None:
    files = {
        "templates/induk.j2": "Atas\n\n{% include 'bagian.j2' %}\n",
        "templates/bagian.j2": "satu\n{{ penerima }}\n",
    }
    problem = render_error(write(write_calendar, template_post("induk"), **files))
    assert (Path(problem.path).name, problem.line) == ("bagian.j2", 2)


def test_syntax_error_in_a_template_file(write_calendar: WriteCalendar) -> None:
    files = {"templates/rusak.j2": "Halo\n\n{{ judul }\n"}
    problem = render_error(write(write_calendar, template_post("rusak"), **files))
    assert Path(problem.path).name == "rusak.j2"
    assert (problem.line, problem.column) == (3, 1)
    assert problem.message == "post 'rapat': template syntax error: unexpected '}'"


def test_syntax_error_in_an_inline_caption(write_calendar: WriteCalendar) -> None:
    path = write(write_calendar, caption_post("Halo {% if %}"))
    problem = render_error(path)
    assert (problem.path, problem.line, problem.column) == (str(path), 11, 14)
    assert problem.message.startswith("post 'rapat': template syntax error: ")


# -- what was meant: the closest names -----------------------------------------------------------

MEANT = (
    "post 'rapat': variable '{name}' is undefined; did you mean {meant}? define it under vars "
    "(of the calendar or of the post)"
)


def test_a_misspelt_variable_names_the_var_meant(write_calendar: WriteCalendar) -> None:
    files = {"templates/rapat.j2": "Rapat\n{{ judull }}\n"}
    path = write(write_calendar, template_post("rapat", "    vars: {judul: Rapat RT}\n"), **files)
    problem = render_error(path)
    assert (Path(problem.path).name, problem.line) == ("rapat.j2", 2)
    assert problem.message == MEANT.format(name="judull", meant="'judul'")


def test_a_misspelt_name_of_jadwal_names_it(write_calendar: WriteCalendar) -> None:
    problem = render_error(write(write_calendar, caption_post("{{ platfrom }}")))
    assert problem.message == MEANT.format(name="platfrom", meant="'platform'")


def test_names_as_close_as_each_other_are_all_offered(write_calendar: WriteCalendar) -> None:
    extra = "    vars: {tempat_a: Balai, tempat_b: Masjid}\n"
    problem = render_error(write(write_calendar, caption_post("{{ tempat_c }}", extra)))
    assert problem.message == MEANT.format(name="tempat_c", meant="'tempat_a' or 'tempat_b'")


def test_a_misspelt_key_of_a_mapping_names_its_keys(write_calendar: WriteCalendar) -> None:
    extra = "    vars: {acara: {tempat: Balai Desa}, tempt: x}\n"
    problem = render_error(write(write_calendar, caption_post("{{ acara.tempt }}", extra)))
    assert problem.message == MEANT.format(name="tempt", meant="'tempat'")


def test_a_holiday_greeting_is_offered_its_own_names(write_calendar: WriteCalendar) -> None:
    holidays = "holidays: {country: ID, caption: 'Selamat {{ holidy }}'}\n"
    path = write_calendar(HEAD.format(zone="Asia/Jakarta") + "  []\n" + holidays)
    calendar = load_calendar(path)
    [natal] = expand(calendar, date(2026, 12, 25), date(2026, 12, 25))
    with pytest.raises(RenderError) as info:
        Renderer(calendar).render(natal)
    assert info.value.problem.message == (
        "post 'hari-besar-2026-12-25': variable 'holidy' is undefined; did you mean 'holiday'? "
        "define it under vars (of the calendar or of the post)"
    )


def test_a_misspelt_filter_names_the_filter_meant(write_calendar: WriteCalendar) -> None:
    files = {"templates/rapat.j2": "Rapat\n\n{{ at | tangal }}\n"}
    problem = render_error(write(write_calendar, template_post("rapat"), **files))
    assert (Path(problem.path).name, problem.line, problem.column) == ("rapat.j2", 3, 1)
    assert problem.message == "post 'rapat': unknown filter 'tangal'; did you mean 'tanggal'?"


def test_a_misspelt_filter_inside_if_is_found_when_it_runs(write_calendar: WriteCalendar) -> None:
    # Jinja only refuses a filter inside {% if %} once that line runs.
    files = {"templates/rapat.j2": "Rapat\n{% if at %}\n{{ at | tanggal_pendk }}\n{% endif %}\n"}
    problem = render_error(write(write_calendar, template_post("rapat"), **files))
    assert (Path(problem.path).name, problem.line) == ("rapat.j2", 3)
    assert problem.message == (
        "post 'rapat': unknown filter 'tanggal_pendk'; did you mean 'tanggal_pendek'?"
    )


def test_a_misspelt_filter_in_an_included_template_points_at_it(
    write_calendar: WriteCalendar,
) -> None:
    files = {
        "templates/induk.j2": "Atas\n{% include 'bagian.j2' %}\n",
        "templates/bagian.j2": "satu\n{{ at | jm }}\n",
    }
    problem = render_error(write(write_calendar, template_post("induk"), **files))
    assert (Path(problem.path).name, problem.line) == ("bagian.j2", 2)
    assert problem.message == "post 'rapat': unknown filter 'jm'; did you mean 'jam'?"


def test_an_unknown_filter_with_nothing_close_lists_jadwals(write_calendar: WriteCalendar) -> None:
    path = write(write_calendar, caption_post("{{ at | huruf_besar }}"))
    problem = render_error(path)
    assert (problem.path, problem.line) == (str(path), 11)
    assert problem.message == (
        "post 'rapat': unknown filter 'huruf_besar'; jadwal's filters are tanggal, "
        "tanggal_pendek, hari and jam, besides Jinja's own (default, join, upper, …)"
    )


def test_a_misspelt_test_names_the_test_meant(write_calendar: WriteCalendar) -> None:
    problem = render_error(write(write_calendar, caption_post("{% if x is defind %}{% endif %}")))
    assert problem.message == "post 'rapat': unknown test 'defind'; did you mean 'defined'?"


def test_an_unknown_test_with_nothing_close(write_calendar: WriteCalendar) -> None:
    problem = render_error(write(write_calendar, caption_post("{% if x is kosong %}{% endif %}")))
    assert problem.message == (
        "post 'rapat': unknown test 'kosong'; Jinja's tests include defined, none, number and "
        "string"
    )


def test_a_syntax_error_in_an_included_template_points_at_it(
    write_calendar: WriteCalendar,
) -> None:
    files = {
        "templates/induk.j2": "Atas\n{% include 'bagian.j2' %}\n",
        "templates/bagian.j2": "satu\ndua\n{{ judul }\n",
    }
    problem = render_error(write(write_calendar, template_post("induk"), **files))
    assert (Path(problem.path).name, problem.line) == ("bagian.j2", 3)
    assert problem.message == "post 'rapat': template syntax error: unexpected '}'"


# -- sandbox -------------------------------------------------------------------------------------


def test_python_internals_are_out_of_reach(write_calendar: WriteCalendar) -> None:
    files = {"templates/jahat.j2": "{{ ''.__class__.__mro__ }}"}
    problem = render_error(write(write_calendar, template_post("jahat"), **files))
    assert problem.message == (
        "post 'rapat': the template tried something unsafe: "
        "access to attribute '__class__' of 'str' object is unsafe."
    )


def test_format_string_escape_is_blocked(write_calendar: WriteCalendar) -> None:
    caption = '{{ "{0.__class__}".format(judul) }}'
    problem = render_error(write(write_calendar, caption_post(caption, "    vars: {judul: x}\n")))
    assert "the template tried something unsafe" in problem.message


def test_include_cannot_leave_templates(write_calendar: WriteCalendar) -> None:
    files = {"templates/intip.j2": "{% include '../calendar.yaml' %}"}
    path = write(write_calendar, template_post("intip"), **files)
    problem = render_error(path)
    assert "version: 1" not in problem.message
    assert Path(problem.path).name == "intip.j2"


def test_include_by_absolute_path_is_refused(write_calendar: WriteCalendar) -> None:
    path = write(write_calendar, caption_post("x"))
    files = {"templates/intip.j2": f"{{% include '{path.resolve()}' %}}"}
    problem = render_error(write(write_calendar, template_post("intip"), **files))
    assert "not found in search path" in problem.message


SECRET_LINE = "META_TOKEN=EAAGsymlinkCANARY0123456789"


def linked_template(path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``templates/bocor.j2``: a committed symbolic link to a secrets file elsewhere."""
    secrets = tmp_path_factory.mktemp("etc") / "secrets.env"
    secrets.write_text(SECRET_LINE + "\n", encoding="utf-8")
    (path.parent / "templates" / "bocor.j2").symlink_to(secrets)
    return path


def test_a_template_linked_outside_templates_is_refused(
    write_calendar: WriteCalendar, tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = linked_template(write(write_calendar, template_post("bocor")), tmp_path_factory)
    problem = render_error(path)
    assert problem.message == (
        "post 'rapat': template 'bocor.j2' is a link to a file outside templates/"
    )
    assert (Path(problem.path).name, problem.line) == ("calendar.yaml", 11)  # template:


def test_an_include_of_a_template_linked_outside_is_refused(
    write_calendar: WriteCalendar, tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = write(write_calendar, caption_post('{% include "bocor.j2" %}'))
    problem = render_error(linked_template(path, tmp_path_factory))
    assert problem.message == (
        "post 'rapat': the template failed: "
        "template 'bocor.j2' is a link to a file outside templates/"
    )
    assert "EAAG" not in str(problem)


def test_a_link_between_templates_is_fine(write_calendar: WriteCalendar) -> None:
    files = {"templates/asli.j2": "Salam dari {{ instansi }}"}
    path = write(write_calendar, template_post("alias"), **files)
    (path.parent / "templates" / "alias.j2").symlink_to(path.parent / "templates" / "asli.j2")
    assert render_one(path) == "Salam dari Desa Sukamaju"


def test_include_inside_templates_works(write_calendar: WriteCalendar) -> None:
    files = {
        "templates/induk.j2": "Atas\n{% include 'bagian.j2' %}",
        "templates/bagian.j2": "{{ instansi }}",
    }
    assert render_one(write(write_calendar, template_post("induk"), **files)) == (
        "Atas\nDesa Sukamaju"
    )


# -- the shipped calendar ------------------------------------------------------------------------


def test_every_shipped_template_renders_for_the_shipped_calendar() -> None:
    calendar = load_calendar(ROOT / "calendar.yaml")
    found = expand(calendar, date(2026, 12, 1), date(2026, 12, 31))
    renderer = Renderer(calendar)
    captions = {o.key: renderer.render(o) for o in found}
    assert {o.post.template for o in found} >= {"pengumuman", "kegiatan", "hari_besar", "sop"}
    assert all(text.strip() and "{{" not in text for text in captions.values())
    ibu = captions["hari-besar-2026-12-22/fb-desa/20261222T0000Z"]  # an observance
    assert ibu.startswith("Selamat Hari Ibu.\n")
    assert "Selasa, 22 Desember 2026" in ibu
    natal = captions["hari-besar-2026-12-25/fb-desa/20261225T0000Z"]  # words of its own
    assert natal.startswith("Selamat Hari Raya Natal 🎄\n")
    sop = captions["info-layanan-senin/ig-desa/20261207T0200Z"]
    assert "1. Fotokopi Kartu Keluarga\n2. Surat pengantar RT/RW" in sop


def test_shipped_caption_for_the_village_meeting() -> None:
    calendar = load_calendar(ROOT / "calendar.yaml")
    found = expand(calendar, date(2026, 12, 8), date(2026, 12, 8))
    [meeting] = [o for o in found if o.post.id == "musdes-rkp-2027"]
    assert (
        Renderer(calendar)
        .render(meeting)
        .startswith(
            "Undangan Musyawarah Desa penyusunan RKP Desa 2027, "
            "Selasa, 8 Desember 2026 pukul 10.00 WIB"
        )
    )
