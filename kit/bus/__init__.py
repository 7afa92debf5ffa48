"""The event bus: one interface, two implementations with the same guarantees.

- `RabbitBus` (distributed mode): RabbitMQ through aio-pika.
- `LocalBus` (embedded mode): a durable queue in a local SQLite file, in the same process.

Both deliver at least once, to one durable queue per consuming service, in batches, ack
only after the consumer committed, retry failures with back-off and finally move them to a
dead-letter queue that can be listed and replayed.
"""

from kit.bus.base import BatchHandler, Bus, DeadLetter

__all__ = ["BatchHandler", "Bus", "DeadLetter"]
