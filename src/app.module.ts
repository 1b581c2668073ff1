import { DynamicModule, Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { createSecretKey } from 'node:crypto';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from './config/config.js';
import { ConfigModule } from './config/config.module.js';
import { dataSourceOptions } from './database/data-source.js';
import { RedisModule } from './common/redis.js';
import { AccountsModule } from './modules/accounts/accounts.module.js';
import { ReferentialModule } from './modules/referential/referential.module.js';
import { HealthModule } from './modules/health/health.module.js';
import { CampaignsModule } from './modules/campaigns/campaigns.module.js';
import { ApplicationsModule } from './modules/applications/applications.module.js';
import { AttachmentsModule } from './modules/attachments/attachments.module.js';
import { ReviewsModule } from './modules/reviews/reviews.module.js';
import { ProgrammingModule } from './modules/programming/programming.module.js';
import { JobsModule } from './jobs/jobs.module.js';
import { AccessModule } from './modules/access/access.module.js';
import { ProcessorsModule } from './jobs/processors.module.js';
import { NotificationsModule } from './modules/notifications/notifications.module.js';
import { ConventionsModule } from './modules/conventions/conventions.module.js';
import { RemindersModule } from './modules/reminders/reminders.module.js';
import { ReportsModule } from './modules/reports/reports.module.js';
import { PaymentsModule } from './modules/payments/payments.module.js';
import { AuditModule } from './modules/audit/audit.module.js';
import { NationalModule } from './modules/national/national.module.js';
import { MembershipModule } from './modules/membership/membership.module.js';
import { WebModule } from './web/web.module.js';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        TypeOrmModule.forRoot({
          ...dataSourceOptions(config.databaseUrl, {
            logErrors: config.nodeEnv !== 'test',
            poolSize: config.databasePoolSize,
          }),
          retryAttempts: 3,
          retryDelay: 1000,
        }),
        JwtModule.register({
          global: true,
          // A key object, not the string: jsonwebtoken otherwise tries to parse the string as a PEM public key
          // on every verification (a thrown exception per request, an eighth of the API's CPU at the deadline peak).
          secret: createSecretKey(Buffer.from(config.jwtSecret)),
          signOptions: { algorithm: 'HS256', expiresIn: config.jwtTtlSeconds },
          verifyOptions: { algorithms: ['HS256'] },
        }),
        RedisModule,
        AccessModule,
        JobsModule.forRoot(config, config.workerInProcess ? 'worker' : 'producer'),
        AccountsModule,
        ReferentialModule,
        HealthModule,
        CampaignsModule,
        ApplicationsModule,
        AttachmentsModule,
        ReviewsModule,
        ProgrammingModule,
        NotificationsModule,
        MembershipModule,
        WebModule,
        ConventionsModule,
        RemindersModule,
        ReportsModule,
        PaymentsModule,
        AuditModule,
        NationalModule,
        ...(config.workerInProcess ? [ProcessorsModule] : []),
      ],
    };
  }
}
