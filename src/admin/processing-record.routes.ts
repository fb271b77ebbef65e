import { Router } from 'express';
import { requireAdmin } from '../web/guards';
import type { ProcessingRecordService } from './processing-record.service';

export interface ProcessingRecordRoutesDeps {
  processingRecord: ProcessingRecordService;
}

/** The record of processing, for administrators: what Vigie holds, why, for whom, how long, how it is kept safe. */
export function processingRecordRoutes({ processingRecord }: ProcessingRecordRoutesDeps): Router {
  const router = Router();

  router.get('/admin/registre', requireAdmin, async (_req, res) => {
    const { record, generatedAt } = await processingRecord.current();
    res.render('admin/processing-record', { title: 'Registre des traitements', record, generatedAt });
  });

  return router;
}
