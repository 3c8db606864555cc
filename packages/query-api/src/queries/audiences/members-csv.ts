import type { AudienceMemberRow } from './audience-members.js';
import { hashedEmail, hashedPhone } from './contact-hashing.js';
import { csvLine as line } from './csv-field.js';

export function membersCsv(members: AudienceMemberRow[]): string {
  return line(['person_id', 'customer_id', 'email', 'phone']) + members.map((m) => line([m.person_id, m.customer_id, m.email, m.phone])).join('');
}

/**
 * The hashed upload for ad platforms: Google Customer Match's "Email,Phone" columns, each a lowercase hex SHA-256 of
 * the normalised value (contact-hashing.ts). Members with neither contact are left out: a row without an
 * identifier can never match.
 */
export function membersSha256Csv(members: AudienceMemberRow[]): string {
  let out = line(['Email', 'Phone']);
  for (const m of members) {
    const email = hashedEmail(m.email, m.email_sha256) ?? '';
    const phone = hashedPhone(m.phone) ?? '';
    if (email !== '' || phone !== '') out += line([email, phone]);
  }
  return out;
}
