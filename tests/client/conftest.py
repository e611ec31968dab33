"""The generated client is imported from the checkout (clients/python), as committed."""

import sys

from tests.client.generate import CLIENT

sys.path.insert(0, str(CLIENT))
