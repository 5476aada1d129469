"""The public record: one append-only Merkle log per organisation (docs/record.md)."""

from django.db import models


class RecordHead(models.Model):
    """The size of an organisation's log. Its row lock serialises appends, so seq has no gaps."""

    organisation = models.OneToOneField(
        "orgs.Organisation", on_delete=models.PROTECT, primary_key=True, related_name="record_head"
    )
    size = models.PositiveBigIntegerField(default=0)
    # Set by the first append of a write batch, cleared by the task that signs its checkpoint.
    checkpoint_queued = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"record of {self.organisation_id}: {self.size} entries"


class RecordEntry(models.Model):
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    seq = models.PositiveBigIntegerField()
    time = models.DateTimeField()
    actor = models.BigIntegerField(
        null=True, blank=True, help_text="Member id, or null for the system."
    )
    action = models.CharField(max_length=100)
    subject_kind = models.CharField(max_length=50)
    subject_id = models.CharField(max_length=100, blank=True)
    payload = models.JSONField(default=dict)
    # The canonical bytes (RFC 8785) hashed as the leaf: the export writes them out unchanged.
    canonical = models.BinaryField()
    leaf_hash = models.BinaryField(max_length=32)
    # The salt of each sealed value (free text, personal data), by JSON Pointer from the entry:
    # {"/payload/reason": {"salt": B64}}; {"redacted": {"by": SEQ}} once erased (docs/record.md
    # §6). ``payload`` holds the values themselves, or {"$redacted": SEQ} in their place.
    openings = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["organisation", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "seq"], name="record_seq_unique"),
        ]
        indexes = [
            models.Index(fields=["organisation", "action"]),
            models.Index(fields=["organisation", "actor"]),
            models.Index(fields=["organisation", "subject_kind", "subject_id"]),
            models.Index(fields=["organisation", "time"]),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"


class MerkleNode(models.Model):
    """The hash of a perfect subtree: leaves [index·2^level, (index+1)·2^level).

    Storing every perfect subtree makes the root and any proof O(log n) reads. The node is keyed
    by one integer, ``position = level·2^56 + index``, so that the O(log n) nodes a proof needs
    are one indexed ``IN`` query.
    """

    LEVEL_SHIFT = 56

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    position = models.BigIntegerField()
    hash = models.BinaryField(max_length=32)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "position"], name="merkle_node_unique"),
        ]

    def __str__(self) -> str:
        return f"node ({self.level}, {self.index})"

    @classmethod
    def position_of(cls, level: int, index: int) -> int:
        return (level << cls.LEVEL_SHIFT) | index

    @property
    def level(self) -> int:
        return self.position >> self.LEVEL_SHIFT

    @property
    def index(self) -> int:
        return self.position & ((1 << self.LEVEL_SHIFT) - 1)


class Checkpoint(models.Model):
    """A signed note (C2SP tlog-checkpoint) over the first `size` entries."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    size = models.PositiveBigIntegerField()
    root_hash = models.BinaryField(max_length=32)
    note = models.TextField()
    signed_at = models.DateTimeField()

    class Meta:
        ordering = ["organisation", "-size"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "size"], name="checkpoint_size_unique"),
        ]

    def __str__(self) -> str:
        return f"checkpoint of size {self.size}"
