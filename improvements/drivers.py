"""The initiative's driver diagram, stored: saving an outline (the service) and reading the
diagram back (the selector). Parsing and drawing are `improvements.driver_diagram`'s."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from i2i import access, audit
from improvements import driver_diagram
from improvements.models import DriverNode, ImprovementInitiative
from participants.models import User


@transaction.atomic
def drivers_save(*, initiative: ImprovementInitiative, by: User, text: str) -> list[DriverNode]:
    """Replace the initiative's driver diagram with the outline's nodes, in its order: all
    or nothing, so a wrong line loses nothing already saved. The participant leads their own
    initiative (the leaflet's "identify and implement"); nobody draws it for them."""
    if not access.can_lead_initiative(by, initiative.participant):
        raise PermissionDenied("Participants lead their own improvement initiative.")
    try:
        lines = driver_diagram.parse(text)
    except driver_diagram.OutlineError as error:
        raise ValidationError({"outline": str(error)}) from None
    ImprovementInitiative.objects.select_for_update().filter(pk=initiative.pk).first()
    DriverNode.objects.filter(initiative=initiative).delete()
    nodes = [
        DriverNode(initiative=initiative, level=line.level, text=line.text, position=index)
        for index, line in enumerate(lines)
    ]
    # One insert per level, parents first, so each child knows its parent's key.
    for level in driver_diagram.LEVELS:
        for line, node in zip(lines, nodes, strict=True):
            if line.level == level and line.parent is not None:
                node.parent = nodes[line.parent]
        DriverNode.objects.bulk_create([n for n in nodes if n.level == level])
    audit.record(
        "initiative_drivers_saved",
        actor=by,
        target=initiative.title,
        participant=initiative.participant_id,
        nodes=len(nodes),
    )
    return nodes


@dataclass(frozen=True)
class Diagram:
    """What a page or the pack shows: the picture, its nodes as a tree (the text
    alternative) and the outline to edit."""

    aim: str
    roots: list[driver_diagram.Node]
    outline: str
    svg: str

    @property
    def empty(self) -> bool:
        return not self.roots


def diagram(initiative: ImprovementInitiative, nodes=None, *, diagram_id: str = "") -> Diagram:
    """The initiative's diagram: one query, or none when `nodes` were prefetched."""
    nodes = list(initiative.drivers.all() if nodes is None else nodes)
    roots = driver_diagram.tree(nodes)
    return Diagram(
        aim=initiative.aim,
        roots=roots,
        outline=driver_diagram.outline(nodes),
        svg=driver_diagram.svg(
            initiative.aim,
            roots,
            diagram_id=diagram_id or f"drivers-{initiative.pk}",
            title=f"Driver diagram: {initiative.title}",
        )
        if roots
        else "",
    )
