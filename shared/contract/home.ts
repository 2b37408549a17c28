import { z } from 'zod';

// The home page (首页): a few cards per role, each a short list of figures that link to the
// screen where the work is done. The back end decides which cards the caller sees and fills
// them; the UI renders any card the same way, so a desk adds a card with a few lines in
// electron/backend/home/cards.ts and its words in the dictionary.

export const homeFigureSchema = z.object({
  /** i18n key of the figure's label. */
  label: z.string(),
  /** count: a whole number; money: fen; time: epoch ms; status: an i18n key; text: shown as it is. */
  kind: z.enum(['count', 'money', 'time', 'status', 'text']),
  value: z.union([z.number(), z.string()]).nullable(),
  /** The screen this figure opens. */
  link: z.string().optional(),
  /** Needs someone's attention (shown highlighted when not zero). */
  attention: z.boolean().optional(),
});
export type HomeFigure = z.infer<typeof homeFigureSchema>;

/** A line with progress, e.g. one reading book: "B01 东村一本 · 12-08", 120 of 300. */
export const homeItemSchema = z.object({
  text: z.string(),
  done: z.number().int(),
  total: z.number().int(),
  /** i18n key of a note (late, due today…) and its parameters. */
  note: z.string().optional(),
  noteParams: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  link: z.string().optional(),
});

export const homeCardSchema = z.object({
  id: z.string(),
  /** i18n key of the card's title. */
  title: z.string(),
  titleParams: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  link: z.string(),
  figures: z.array(homeFigureSchema),
  items: z.array(homeItemSchema),
  /** i18n key shown when the card has nothing to list. */
  empty: z.string().optional(),
});
export type HomeCard = z.infer<typeof homeCardSchema>;

export const homeSummarySchema = z.object({ today: z.string(), cards: z.array(homeCardSchema) });
export type HomeSummary = z.infer<typeof homeSummarySchema>;
