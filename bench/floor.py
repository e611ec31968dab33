"""The floor: the cheapest Flask endpoint that still parses the customer's JSON body.

Served by the same gunicorn settings as chaos (chaos.entrypoints.gunicorn_config: workers, sync
class, JSON access log), it is what `POST /appetence` would cost if scoring, validation,
authentication, metrics and the database were free; chaos's figures are reported as ratios to it.
"""

from flask import Flask, request

app = Flask(__name__)


@app.post("/appetence")
def appetence():
    request.get_json()
    return {"appetence": 0.5, "model_version": "floor", "socio_eco_date": "2010-06-30"}


@app.get("/ready")
def ready():
    return {"status": "ready"}
