"""What the suites share: fixtures, loaded as pytest plugins by the root conftest, and the helpers only
tests import (the wheel and its installs, the GCS front); those the bench and `make pod` use too
(ports, the server runner, the TCP proxy, the pod's shape) are in the `harness` package."""
