"""Pure parts of the webhooks (docs/webhooks.md): Standard Webhooks signatures, the address
policy that keeps deliveries off private networks, and the check of a delivered record entry."""
