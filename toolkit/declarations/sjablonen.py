"""Which Word templates a build uses, and `toolkit sjablonen`: copying them out to edit.

The bundled templates are the default. A register can name its own folder (setting
'Map met Word-sjablonen', relative to the register's folder) and `--sjablonen MAP`
overrides that for one build. A chosen folder must hold every template the build needs:
mixing a municipality's house style with the bundled one in one set of annexes would go
unnoticed until the council reads it, so a missing file stops the build (exit 2) and
says which file and how to get it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from toolkit.core.errors import OutputError, TemplateError
from toolkit.core.output import shown

SETTING = "sjablonen"


@dataclass(frozen=True)
class TemplateChoice:
    """The templates one build uses, and where the choice came from (for messages)."""

    paths: dict[str, Path]
    #: "meegeleverd", "instelling" or "--sjablonen"
    source: str
    folder: Path | None = None

    def describe(self) -> str:
        if self.folder is None:
            return "de meegeleverde Word-sjablonen"
        how = "--sjablonen" if self.source == "--sjablonen" else "de instelling 'Map met Word-sjablonen'"
        return f"de Word-sjablonen in {shown(self.folder)} (via {how})"

    def manifest(self, used: dict[str, Path], register_path: Path) -> dict[str, dict[str, str]]:
        """Per used template (file name: path) its path, source and sha256, so an annex
        can be traced to the layout it was made with. A bundled one is named, not given
        by its path inside site-packages; an own one by its path from the register's
        folder (as the setting 'Map met Word-sjablonen' would say it, with /), so the
        manifest is the same on every machine and names no user's home folder when the
        annexes are shared."""
        recorded = {}
        for name, path in used.items():
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            if self.folder is None:
                where = f"meegeleverd: {name}"
            else:
                where = folder_setting(path, register_path).replace("\\", "/")
            recorded[name] = {"pad": shown(where), "bron": self.source, "sha256": digest}
        return recorded


def template_folder(
    register_path: Path | None, setting: str = "", override: Path | None = None
) -> Path | None:
    """The chosen folder of Word templates, if any: --sjablonen, else the register's
    setting (relative to the register's folder). Whether it exists is checked later."""
    if override is not None:
        return Path(override)
    if setting.strip():
        folder = Path(setting.strip()).expanduser()
        if not folder.is_absolute() and register_path is not None:
            folder = register_path.parent / folder
        return folder
    return None


def folder_setting(folder: Path, register_path: Path) -> str:
    """The setting 'Map met Word-sjablonen' that finds folder from a register at
    register_path: relative to the register's folder, so register and templates can move
    together, or absolute where no relative path exists (another drive on Windows)."""
    import os

    try:
        return os.path.relpath(Path(folder).resolve(), Path(register_path).parent.resolve())
    except ValueError:
        return str(Path(folder).resolve())


def require_folder(folder: Path) -> Path:
    """A folder given with --sjablonen must be there: read without it, the register's own
    annex types would silently be unknown."""
    if not Path(folder).is_dir():
        what = "is geen map" if Path(folder).exists() else "bestaat niet"
        raise TemplateError(
            f"De map met Word-sjablonen '{shown(folder)}' (opgegeven met --sjablonen) {what}. "
            f"Geef de map op waarin de Word-sjablonen en eigen bijlagetypen (*.toml) staan, of "
            f"maak de map met 'toolkit sjablonen {shown(folder)}'. Zonder --sjablonen gebruikt "
            f"de toolkit de instelling 'Map met Word-sjablonen' van het register."
        )
    return Path(folder)


def choose_templates(
    defaults: dict[str, Path],
    register_path: Path | None,
    setting: str = "",
    override: Path | None = None,
    needed: tuple[str, ...] | None = None,
    files: dict[str, str] | None = None,
) -> TemplateChoice:
    """The templates for one build: --sjablonen, else the register's setting, else bundled.

    The setting is relative to the register's folder (an absolute path is allowed); the
    option to the current folder, like every path on the command line. Every kind in
    `needed` (default: every kind of defaults) must be in a chosen folder, under its name
    in files (default: the bundled template's), else TemplateError names folder and file.
    """
    folder = template_folder(register_path, setting, override)
    if folder is None:
        return TemplateChoice(dict(defaults), "meegeleverd")
    source = "--sjablonen" if override is not None else "instelling"
    where = (
        "opgegeven met --sjablonen"
        if source == "--sjablonen"
        else "genoemd bij 'Map met Word-sjablonen' op het tabblad Instellingen"
    )
    default = (
        "Zonder --sjablonen gebruikt de toolkit de instelling of de meegeleverde sjablonen."
        if source == "--sjablonen"
        else "Maakt u de instelling leeg, dan gebruikt de toolkit de meegeleverde sjablonen."
    )
    if not folder.is_dir():
        what = "is geen map" if folder.exists() else "bestaat niet"
        raise TemplateError(
            f"De map met Word-sjablonen '{shown(folder)}' ({where}) {what}. Maak de map met "
            f"'toolkit sjablonen {shown(folder)}', of pas de map aan. {default}"
        )
    files = {**{kind: path.name for kind, path in defaults.items()}, **(files or {})}
    paths = {kind: folder / files[kind] for kind in defaults}
    missing = [files[kind] for kind in (defaults if needed is None else needed) if not paths[kind].is_file()]
    if missing:
        names = " en ".join(f"'{name}'" for name in missing)
        raise TemplateError(
            f"In de map met Word-sjablonen '{shown(folder)}' ({where}) ontbreekt {names}. "
            f"Een gekozen map moet elk sjabloon bevatten dat de bouw gebruikt; de toolkit "
            f"mengt geen eigen en meegeleverde sjablonen. Zet het bestand in de map, "
            f"bijvoorbeeld met 'toolkit sjablonen {shown(folder)}' (vult alleen aan wat "
            f"ontbreekt)."
        )
    return TemplateChoice(paths, source, folder)


@dataclass(frozen=True)
class CopyResult:
    folder: Path
    copied: list[Path]
    kept: list[Path]


def copy_templates(defaults: dict[str, Path], folder: Path, overwrite: bool = False) -> CopyResult:
    """Copy the bundled templates into folder for editing in Word.

    An existing template is someone's work: it is kept unless overwrite is asked for,
    and the missing ones are still added, so the command also repairs an incomplete
    folder.
    """
    from toolkit.core.output import atomic_write, reason

    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"'{shown(folder)}' is een bestand, geen map. Kies een map voor de Word-sjablonen.")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"De map '{shown(folder)}' kan niet worden gemaakt: {reason(exc)}. "
            f"Kies een map waarin u mag schrijven."
        ) from exc
    copied, kept = [], []
    for source in defaults.values():
        target = folder / source.name
        if target.exists() and not overwrite:
            kept.append(target)
            continue
        data = source.read_bytes()
        copied.append(atomic_write(target, partial(Path.write_bytes, data=data)))
    return CopyResult(folder, copied, kept)


def next_steps(folder: Path) -> list[str]:
    """After copying: how the build finds the templates, both ways."""
    return [
        f"Pas de sjablonen in {shown(folder)} aan in Word (lettertype, kleuren, logo, kop- en "
        f"voettekst); 'toolkit tags' zegt welke tags erin mogen.",
        "Laat de toolkit ze daarna gebruiken, op een van twee manieren:",
        f"  - vul op het tabblad Instellingen van het register bij 'Map met Word-sjablonen' "
        f"de map in (ten opzichte van de map van het register, of een volledig pad: "
        f"{shown(folder.resolve())});",
        f"  - of geef bij het bouwen de map op: toolkit build register.xlsx --sjablonen {shown(folder)}",
    ]
