"""What a test wants in every run's output (the pipelines' job lists and times), kept in its report
as a section: a report reaches the terminal from a pytest-xdist worker too, where a print does not.
Every such section is printed once, at the end of the run."""

import pytest

SECTION = "summary"


def add_summary(item: pytest.Item, text: str) -> None:
    item.add_report_section("call", SECTION, text)


def pytest_terminal_summary(terminalreporter) -> None:
    title = f"Captured {SECTION} call"
    for reports in list(terminalreporter.stats.values()):
        for report in reports:
            for name, text in getattr(report, "sections", ()):
                if name == title:
                    terminalreporter.write_sep("-", f"{report.nodeid}")
                    terminalreporter.write_line(text)
