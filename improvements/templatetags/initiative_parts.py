"""What the initiative page's own parts read for themselves (the driver diagram, the
attachments), so that the page's view needs no line for each."""

from django import template

from improvements import drivers

register = template.Library()


@register.simple_tag
def driver_diagram(initiative):
    """The initiative's driver diagram: one query."""
    return drivers.diagram(initiative)


@register.simple_tag
def initiative_attachments(initiative):
    """The initiative's files, oldest first: one query."""
    return list(initiative.attachments.all())
