"""What a rule is: a named check of a vehicle value against a limit from the law."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..engine import expr as E


@dataclass(frozen=True)
class Check:
    """One step of an explanation.

    ``value`` is the vehicle's figure, ``limit`` the law's (normally a ``Param`` read at the
    date that governs the step); the step passes when ``value op limit``. Where ``applies``
    is False the step is not part of the verdict (e.g. the displacement cap for an electric
    vehicle) and is left out of the explanation.
    """

    name: str
    label: str
    value: E.Expr
    limit: E.Expr
    op: str = "<="
    applies: E.Expr = field(default_factory=lambda: E.Lit(True))
    unit: str = ""

    @property
    def passed(self) -> E.Expr:
        if self.op == "in":
            return E.IsIn(self.value, self.limit)
        return E.Cmp(self.op, self.value, self.limit)

    @property
    def ok(self) -> E.Expr:
        """Passed, or not applicable: what a verdict combines."""
        return E.Or((E.Not(self.applies), self.passed))
