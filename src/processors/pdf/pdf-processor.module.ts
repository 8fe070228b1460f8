import { Module } from '@nestjs/common';
import { PdfProcessor } from './pdf.processor.js';

@Module({ providers: [PdfProcessor] })
export class PdfProcessorModule {}
