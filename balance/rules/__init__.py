"""Rule families, a module each; :mod:`balance.registry` lists the rules in them."""
