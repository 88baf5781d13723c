/** Marks a WhatsApp group conversation (several members; replies go to the whole group). */
export function GroupChip() {
  return (
    <span class="chip chip-group" title="WhatsApp group: several members write here, and replies go to the whole group">
      Group
    </span>
  );
}
