/** A form's or an action's error, announced to screen readers; renders nothing without one. */
export function FormError({ error }: { error: string | null | undefined }) {
  if (!error) return null;
  return (
    <p class="form-error" role="alert">
      {error}
    </p>
  );
}
