"""A bench target and its verdict. A figure measured over several rounds is judged on its spread as
well as its median: when the rounds fall on both sides of the goal, the run cannot decide, and says
"undecided" rather than pass or miss on the luck of the median."""

import statistics
from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    name: str
    figure: float | None
    """The median of the rounds (or the single figure)."""
    goal: float
    unit: str
    at_least: bool = True
    spread: tuple[float, float] | None = None
    """Lowest and highest figure of the rounds, when there were rounds."""

    @classmethod
    def of_rounds(cls, name: str, rounds: list[float], goal: float, unit: str, at_least: bool = True):
        return cls(name, statistics.median(rounds), goal, unit, at_least, (min(rounds), max(rounds)))

    def _met(self, figure: float) -> bool:
        return figure >= self.goal if self.at_least else figure <= self.goal

    @property
    def status(self) -> str:
        if self.figure is None:
            return "not measured"
        if self.spread is not None and self._met(self.spread[0]) != self._met(self.spread[1]):
            return "undecided"
        return "pass" if self._met(self.figure) else "MISS"

    def row(self) -> str:
        figure = "n/a" if self.figure is None else f"{self.figure:,.2f} {self.unit}"
        if self.spread is not None:
            figure += f" ({self.spread[0]:,.2f}–{self.spread[1]:,.2f})"
        goal = f"{'≥' if self.at_least else '≤'} {self.goal:g} {self.unit}"
        return f"| {self.name} | {goal} | {figure} | {self.status} |"
