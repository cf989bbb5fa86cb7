import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useEffectEvent, useState } from 'react';

/**
 * A filter typed into a box: the box follows every keystroke, `commit` runs once typing pauses,
 * and a value changed elsewhere ("Clear filters", the back button) shows in the box.
 */
export function useDebouncedText(value: string, commit: (text: string) => void, waitMs: number) {
  const [text, setText] = useState(value);
  const [debounced] = useDebouncedValue(text, waitMs);

  // An effect event reads this render's `value` and `commit` without re-running on their change.
  const onPause = useEffectEvent((typed: string) => {
    if (typed.trim() !== value.trim()) commit(typed);
  });
  useEffect(() => {
    onPause(debounced);
  }, [debounced]);

  // Adjusted while rendering, not in an effect, so the box never paints the stale text first.
  const [shown, setShown] = useState(value);
  if (value !== shown) {
    setShown(value);
    if (value.trim() !== debounced.trim()) setText(value);
  }

  return [text, setText] as const;
}
