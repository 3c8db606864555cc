/** A small outdoor-sports shop: enough products and categories for ABC analysis and funnels to say something. */
export interface Product {
  productId: string;
  name: string;
  category: string;
  brand: string;
  price: number;
  /** Relative popularity: a few products sell most (that is what ABC analysis finds). */
  popularity: number;
  /** Consumables are bought again (replenishment audiences). */
  replenishDays?: number;
}

const rows: Array<[string, string, string, number, number, number?]> = [
  ['Trail Runner 2', 'Shoes', 'Fleet', 119, 30],
  ['Road Runner Pro', 'Shoes', 'Fleet', 139, 18],
  ['Hiking Boot Alta', 'Shoes', 'Montane', 169, 9],
  ['Approach Shoe', 'Shoes', 'Montane', 129, 5],
  ['Rain Shell Jacket', 'Jackets', 'Nordkap', 189, 14],
  ['Down Jacket 800', 'Jackets', 'Nordkap', 249, 8],
  ['Softshell Vest', 'Jackets', 'Nordkap', 89, 4],
  ['Merino Tee', 'Base layers', 'Woolly', 59, 16],
  ['Merino Long Sleeve', 'Base layers', 'Woolly', 79, 9],
  ['Running Socks 3-pack', 'Accessories', 'Fleet', 19, 22, 60],
  ['Energy Gel 12-pack', 'Nutrition', 'Fuel', 24, 20, 30],
  ['Electrolyte Tabs', 'Nutrition', 'Fuel', 9, 12, 21],
  ['Protein Bar Box', 'Nutrition', 'Fuel', 29, 7, 30],
  ['Headlamp 400', 'Gear', 'Lumen', 45, 6],
  ['Trekking Poles', 'Gear', 'Montane', 99, 4],
  ['Hydration Vest 5L', 'Gear', 'Fleet', 109, 7],
  ['Water Bottle 750', 'Accessories', 'Fuel', 15, 10],
  ['Sunglasses Sport', 'Accessories', 'Lumen', 69, 3],
  ['GPS Watch S', 'Electronics', 'Pace', 299, 4],
  ['Heart Rate Strap', 'Electronics', 'Pace', 59, 2],
  ['Tent Ultralight 2P', 'Camping', 'Montane', 399, 2],
  ['Sleeping Bag -5°C', 'Camping', 'Nordkap', 229, 1],
];

export const CATALOG: readonly Product[] = rows.map(([name, category, brand, price, popularity, replenishDays], i) => ({
  productId: `sku-${String(1001 + i)}`,
  name,
  category,
  brand,
  price,
  popularity,
  ...(replenishDays ? { replenishDays } : {}),
}));

export const productPath = (p: Product) => `/products/${p.productId}`;

export const SEARCH_TERMS = ['trail shoes', 'rain jacket', 'merino', 'energy gel', 'headlamp', 'gps watch', 'socks', 'tent', 'кроссовки', 'buty do biegania'];
