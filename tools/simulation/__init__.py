"""The causal simulator: which metrics drive which (fitted from the tenant's daily series) and
what-if simulations over them."""
