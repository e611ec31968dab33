"""What the suites share: fixtures, loaded as pytest plugins by the root conftest, and the helpers they
import (ports, one server runner, the TCP proxy, the wheel and its installs)."""
