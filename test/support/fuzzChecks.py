"""Schemathesis checks of the shop's own, loaded by test/integration/fuzzApi.test.ts (SCHEMATHESIS_HOOKS)."""

import schemathesis
from schemathesis.specs.openapi.checks import positive_data_acceptance

# What only the shop's state decides, which no schema can say: an order naming a product id that no
# product has, or naming one product twice (JSON Schema has no "unique by this property"); a
# category (a product's, or the one a search is filtered by) that no category has.
STATE_REFUSALS = {"unknown_product"}
STATE_ISSUES = {"each product may appear only once", "no category has this id", "no category has this slug"}


@schemathesis.check
def allowed_requests_accepted(ctx, response, case):
    """positive_data_acceptance, but for a 400 that says the request's data names what the shop does not have."""
    if response.status_code == 400:
        try:
            error = response.json()["error"]
        except Exception:
            error = None
        if error and (error["code"] in STATE_REFUSALS or (error.get("issues") and all(i["message"] in STATE_ISSUES for i in error["issues"]))):
            return None
    return positive_data_acceptance(ctx, response, case)
