import { en, type Messages } from './en';
import { es } from './es';

export type Lang = 'en' | 'es';
export const LANGS: readonly Lang[] = ['en', 'es'];
export type { Messages };

const CATALOGUE: Record<Lang, Messages> = { en, es };

export function messages(lang: Lang): Messages {
  return CATALOGUE[lang];
}

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGS as readonly string[]).includes(value);
}

/**
 * Spanish names of the seeded categories. Categories added later fall back to their English
 * name and description until a translation is added here.
 */
const CATEGORY_ES: Record<string, { name: string; description: string }> = {
  catalogs: { name: 'Catálogos', description: 'Catálogos de tiendas y de venta por correo: ropa, artículos para el hogar, regalos, herramientas.' },
  'credit-insurance-offers': { name: 'Ofertas de crédito y seguros', description: 'Ofertas preaprobadas de tarjetas de crédito, préstamos e hipotecas, y ofertas de seguros.' },
  'coupons-retail': { name: 'Cupones y publicidad de tiendas', description: 'Paquetes de cupones, folletos de tiendas, supermercados y restaurantes, y publicidad de negocios locales.' },
  'magazines-subscriptions': { name: 'Ofertas de revistas y suscripciones', description: 'Ofertas para suscribirse a revistas, periódicos, clubes y otras suscripciones.' },
  'charity-nonprofit': { name: 'Donaciones y organizaciones sin fines de lucro', description: 'Peticiones de donativos de organizaciones benéficas, sin fines de lucro y religiosas.' },
  political: { name: 'Correo político', description: 'Correo de campañas y de promoción de candidatos, partidos y comités políticos.' },
  other: { name: 'Otra publicidad', description: 'Cualquier otro correo publicitario que no esté en las categorías anteriores.' },
};

export function categoryText(lang: Lang, category: { slug: string; name: string; description?: string }): { name: string; description: string } {
  if (lang === 'es' && CATEGORY_ES[category.slug]) return CATEGORY_ES[category.slug]!;
  return { name: category.name, description: category.description ?? '' };
}

/** Dates as a household reads them, in the service's time zone (UTC unless told otherwise). */
export function formatDate(lang: Lang, date: Date): string {
  return new Intl.DateTimeFormat(lang === 'es' ? 'es-US' : 'en-US', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(date) + ' UTC';
}

/** A day, as in "January 5, 2027" (the end of what may still be in the mail). */
export function formatDay(lang: Lang, date: Date): string {
  return new Intl.DateTimeFormat(lang === 'es' ? 'es-US' : 'en-US', { dateStyle: 'long', timeZone: 'UTC' }).format(date);
}
