"""What the test suites, the bench and `make pod` share to run chaos on this machine: free ports, the
one server runner, the TCP fault proxy, the pod's shape with its edge, the GCS emulator, the delivery
files. It imports nothing from tests/, so the bench runs without the suites."""
