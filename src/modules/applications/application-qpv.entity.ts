import { Entity, Index, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { GrantApplicationEntity } from './application.entity.js';
import { QpvEntity } from '../referential/qpv.entity.js';

/** A QPV an application targets. */
@Entity({ name: 'application_qpvs' })
export class ApplicationQpvEntity {
  @PrimaryColumn({ type: 'uuid' })
  applicationId!: string;

  @PrimaryColumn({ type: 'varchar', length: 12 })
  qpvCode!: string;

  @ManyToOne(() => GrantApplicationEntity, { onDelete: 'CASCADE' })
  application!: Relation<GrantApplicationEntity>;

  @Index('ix_application_qpvs_qpv_code')
  @ManyToOne(() => QpvEntity, { onDelete: 'RESTRICT' })
  qpv!: Relation<QpvEntity>;
}
