// 用电类别 customer classes (DOMAIN.md glossary): the one list every desk uses.
export const CUSTOMER_CLASSES = ['residential', 'commercial', 'large_industry', 'agricultural'] as const;
export type CustomerClass = (typeof CUSTOMER_CLASSES)[number];

export function isResidential(customerClass: CustomerClass): boolean {
  return customerClass === 'residential';
}
