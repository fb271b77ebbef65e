import type { AuditLog } from '../audit/audit.repository';
import type { User } from '../access/user';
import type { SettingsRepository } from './settings.repository';
import { type AppSettings, settingsSchema } from './settings.schemas';

export interface SettingsDeps {
  settings: SettingsRepository;
  audit: AuditLog;
}

/**
 * The settings administrators change from the app. Read by public pages too, so kept in memory
 * once read; only this service writes them, and it drops the copy when it does.
 */
export function createSettingsService({ settings, audit }: SettingsDeps) {
  let current: Promise<AppSettings> | undefined;

  function read(): Promise<AppSettings> {
    if (!current) {
      const reading = settings.all().then((stored) => settingsSchema.parse(Object.fromEntries(stored)));
      // A failed read is not kept: the next one tries again.
      reading.catch(() => {
        if (current === reading) current = undefined;
      });
      current = reading;
    }
    return current;
  }

  return {
    current: read,

    async update(user: User, values: AppSettings): Promise<void> {
      await settings.save(values);
      // After the write: a read made while it was under way would keep the old values.
      current = undefined;
      await audit.record({ actorUserId: user.id, action: 'update', entityType: 'app_settings', entityId: null });
    },
  };
}

export type SettingsService = ReturnType<typeof createSettingsService>;
